/**
 * A real Consul agent for tests, started from the {@code consul} binary.
 */
@NullMarked
package io.micro4j.test.consul;

import org.jspecify.annotations.NullMarked;
