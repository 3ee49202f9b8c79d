/**
 * The threads of a micro4j process: one {@link io.micro4j.runtime.MicroRuntime} owns the event loop group, the
 * bounded executors and the timer that transports, brokers, clients and servers share.
 */
@NullMarked
package io.micro4j.runtime;

import org.jspecify.annotations.NullMarked;
