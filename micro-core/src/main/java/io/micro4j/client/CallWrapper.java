package io.micro4j.client;

/**
 * A client decorator: go-micro's {@code CallWrapper}. It receives the next step and returns one that runs around it;
 * it may change the request and the outgoing metadata of the {@link ClientRequestContext}, fail fast, or observe the
 * outcome.
 * <p>
 * Wrappers form one chain ordered by their order value, <b>lowest outermost</b>, built once per client. The built-in
 * stages sit at fixed orders:
 * <ol>
 * <li>{@value #OBSERVATION_ORDER}: observation (metrics and tracing; injects {@code Traceparent});</li>
 * <li>{@value #CIRCUIT_BREAKER_ORDER}: the circuit breaker, when one is configured (fails fast while open);</li>
 * <li>{@value #RETRY_ORDER}: retry (safe retries, backoff, deadline, retry budget); below it, each attempt runs
 * with its own context;</li>
 * <li>{@value #SELECTION_ORDER}: node selection and outlier ejection (the chosen node is reported back to the
 * selector);</li>
 * <li>then wrappers added without an order ({@value #DEFAULT_ORDER}): they run once per attempt and see the chosen
 * node; then the transport.</li>
 * </ol>
 * A wrapper that must run once per call (not per attempt) takes an order below {@value #RETRY_ORDER}.
 */
@FunctionalInterface
public interface CallWrapper {

	/** Order of the observation stage: {@value}. */
	int OBSERVATION_ORDER = -400;

	/** Order of the circuit breaker stage: {@value}. */
	int CIRCUIT_BREAKER_ORDER = -300;

	/** Order of the retry stage: {@value}. */
	int RETRY_ORDER = -200;

	/** Order of the selection and ejection stage: {@value}. */
	int SELECTION_ORDER = -100;

	/** Order of wrappers added without one: {@value}, once per attempt, after the node is chosen. */
	int DEFAULT_ORDER = 0;

	CallFunction wrap(CallFunction next);

}
