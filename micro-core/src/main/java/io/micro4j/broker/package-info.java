/**
 * Publish/subscribe: the Broker abstraction, go-micro's JSON envelope, and the in-memory and http implementations.
 */
@NullMarked
package io.micro4j.broker;

import org.jspecify.annotations.NullMarked;
