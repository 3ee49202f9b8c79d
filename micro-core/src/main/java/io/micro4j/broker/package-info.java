/**
 * Publish/subscribe: the Broker abstraction and its in-memory implementation.
 */
@NullMarked
package io.micro4j.broker;

import org.jspecify.annotations.NullMarked;
