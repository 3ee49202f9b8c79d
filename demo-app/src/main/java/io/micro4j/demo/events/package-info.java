/**
 * The {@code greeter.events} topic: the event type and a subscriber.
 */
@NullMarked
package io.micro4j.demo.events;

import org.jspecify.annotations.NullMarked;
