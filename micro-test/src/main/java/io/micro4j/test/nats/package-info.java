/**
 * A launcher of a real {@code nats-server} for tests.
 */
@NullMarked
package io.micro4j.test.nats;

import org.jspecify.annotations.NullMarked;
