/**
 * Micrometer Observation support: contexts, documented observations and replaceable conventions for client calls,
 * server handling, publishing and receiving. Trace context travels in call metadata and message headers under
 * go-micro's OTel keys ({@code Traceparent}, {@code Tracestate}).
 */
@NullMarked
package io.micro4j.observation;

import org.jspecify.annotations.NullMarked;
