/**
 * The shared contract every {@link io.micro4j.broker.Broker} implementation is tested against.
 */
@NullMarked
package io.micro4j.test.broker;

import org.jspecify.annotations.NullMarked;
