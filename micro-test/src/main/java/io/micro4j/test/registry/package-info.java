/**
 * The shared contract every {@link io.micro4j.registry.Registry} implementation is tested against.
 */
@NullMarked
package io.micro4j.test.registry;

import org.jspecify.annotations.NullMarked;
