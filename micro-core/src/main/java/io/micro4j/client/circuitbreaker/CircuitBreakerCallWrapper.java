package io.micro4j.client.circuitbreaker;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micro4j.client.CallFunction;
import io.micro4j.client.CallWrapper;
import io.micro4j.client.Response;
import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.FailureKind;
import io.micro4j.errors.MicroException;

/**
 * A circuit breaker per service and endpoint (named {@code <service>/<endpoint>}, e.g. {@code greeter/Greeter.Hello})
 * on Resilience4j. Add it at {@link CallWrapper#CIRCUIT_BREAKER_ORDER}, outside the retry stage, so it sees each
 * call's final outcome once: a success or a caller error (4xx) counts as success; a call that failed after its retries
 * (not processed, timed out, 5xx) counts as failure. While the breaker is open, calls fail at once, without touching
 * the network, with go-micro error 503 (id {@value #ERROR_ID}); after the open period a few calls probe
 * (half-open) and close it again when they succeed.
 * <p>
 * {@link #defaultConfig()}: open at 50 % failures over the last 20 calls (once 10 were made), stay open 5 s, probe
 * with 3 calls. The registry's breakers can be bound to Micrometer with Resilience4j's
 * {@code TaggedCircuitBreakerMetrics}.
 */
public final class CircuitBreakerCallWrapper implements CallWrapper {

	/** The id of the error a call gets while the breaker is open: {@value}. */
	public static final String ERROR_ID = "go.micro.client.circuit";

	private final CircuitBreakerRegistry registry;

	public CircuitBreakerCallWrapper(CircuitBreakerRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry");
	}

	/** A wrapper over a new registry with {@link #defaultConfig()}. */
	public static CircuitBreakerCallWrapper withDefaults() {
		return new CircuitBreakerCallWrapper(CircuitBreakerRegistry.of(defaultConfig()));
	}

	/** The breaker settings micro4j uses by default (see the class description). */
	public static CircuitBreakerConfig defaultConfig() {
		return CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(20)
			.minimumNumberOfCalls(10)
			.failureRateThreshold(50)
			.waitDurationInOpenState(Duration.ofSeconds(5))
			.permittedNumberOfCallsInHalfOpenState(3)
			.build();
	}

	/** The registry holding one breaker per service and endpoint. */
	public CircuitBreakerRegistry registry() {
		return this.registry;
	}

	@Override
	public CallFunction wrap(CallFunction next) {
		return context -> {
			CircuitBreaker breaker = this.registry.circuitBreaker(context.service() + "/" + context.endpoint());
			if (!breaker.tryAcquirePermission()) {
				return CompletableFuture.failedFuture(open(breaker, context.service(), context.endpoint()));
			}
			long start = breaker.getCurrentTimestamp();
			CompletableFuture<Response> future = next.callSafely(context);
			return future.whenComplete((response, error) -> {
				long duration = breaker.getCurrentTimestamp() - start;
				FailureKind kind = FailureClassifier.classify(error);
				if (kind == null || kind == FailureKind.CALLER_ERROR) {
					breaker.onSuccess(duration, breaker.getTimestampUnit());
				}
				else {
					breaker.onError(duration, breaker.getTimestampUnit(), FailureClassifier.unwrap(error));
				}
			});
		};
	}

	private static MicroException open(CircuitBreaker breaker, String service, String endpoint) {
		CircuitBreaker.Metrics metrics = breaker.getMetrics();
		return new MicroException(ERROR_ID, 503,
				String.format("circuit breaker open for %s %s: %.0f%% of the last %d calls failed; calls resume after %s",
						service, endpoint, metrics.getFailureRate(), metrics.getNumberOfBufferedCalls(),
						breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1) + " ms"),
				MicroException.statusText(503), null);
	}

}
