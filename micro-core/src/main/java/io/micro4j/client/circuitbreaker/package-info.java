/**
 * The circuit breaker stage of the client, on Resilience4j (an optional dependency: add
 * {@code io.github.resilience4j:resilience4j-circuitbreaker} to use it).
 */
@NullMarked
package io.micro4j.client.circuitbreaker;

import org.jspecify.annotations.NullMarked;
