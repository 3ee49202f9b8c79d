package io.micro4j.server;

import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.MicroException;
import org.jspecify.annotations.Nullable;

/**
 * Admission of calls: a server-wide bound on calls in flight and optional per-endpoint bounds. A call over a bound
 * is answered at once with a go-micro 503 whose id is {@value FailureClassifier#SERVER_ID}, which clients classify
 * as not processed (safe to retry on another node); nothing waits for a slot.
 */
final class CallLimits {

	private final int max;

	private final AtomicInteger inFlight = new AtomicInteger();

	CallLimits(int max) {
		this.max = max;
	}

	/** Calls admitted and not yet released. */
	int inFlight() {
		return this.inFlight.get();
	}

	/**
	 * Admits a call to {@code endpoint} (whose own bound is {@code endpointLimit}, if any).
	 * @return {@code null} when admitted (release it with {@link #release(Endpoint)}), else the 503 to answer with
	 */
	@Nullable MicroException tryAcquire(@Nullable Endpoint endpointLimit) {
		int n = this.inFlight.incrementAndGet();
		if (n > this.max) {
			this.inFlight.decrementAndGet();
			return MicroException.serviceUnavailable(FailureClassifier.SERVER_ID,
					"server busy: %d calls in flight (limit %d)", n - 1, this.max);
		}
		if (endpointLimit != null) {
			int e = endpointLimit.inFlight.incrementAndGet();
			if (e > endpointLimit.max) {
				endpointLimit.inFlight.decrementAndGet();
				this.inFlight.decrementAndGet();
				return MicroException.serviceUnavailable(FailureClassifier.SERVER_ID,
						"server busy: %d calls of %s in flight (limit %d)", e - 1, endpointLimit.name, endpointLimit.max);
			}
		}
		return null;
	}

	/**
	 * Releases a call admitted by {@link #tryAcquire(Endpoint)}.
	 * @return the calls still in flight server-wide
	 */
	int release(@Nullable Endpoint endpointLimit) {
		if (endpointLimit != null) {
			endpointLimit.inFlight.decrementAndGet();
		}
		return this.inFlight.decrementAndGet();
	}

	/** The bound of one endpoint. */
	static final class Endpoint {

		private final String name;

		private final int max;

		private final AtomicInteger inFlight = new AtomicInteger();

		Endpoint(String name, int max) {
			this.name = name;
			this.max = max;
		}

	}

}
