package io.micro4j.client;

import io.micro4j.errors.FailureKind;

/**
 * Decides whether a failed attempt is retried (on a newly selected node), given the kind of the failure (see
 * {@link io.micro4j.errors.FailureClassifier}) and whether the endpoint is idempotent. The retry stage asks it only
 * while retries are left, the deadline allows another attempt and the retry budget has room.
 */
@FunctionalInterface
public interface RetryPolicy {

	/**
	 * @param context the failed attempt
	 * @param kind what the failure means
	 * @param idempotent whether the endpoint is declared idempotent ({@link Idempotent}, endpoint metadata, or
	 * {@link CallOptions#idempotent()})
	 */
	boolean shouldRetry(ClientRequestContext context, FailureKind kind, boolean idempotent);

	/**
	 * The default: retry what never reached a handler ({@link FailureKind#NOT_PROCESSED}) for every endpoint, and
	 * timeouts and 5xx only for idempotent endpoints. A timed-out {@code CreateOrder} runs once.
	 */
	static RetryPolicy safe() {
		return Policies.SAFE;
	}

	/** Retry only what never reached a handler, whatever the endpoint. */
	static RetryPolicy notProcessedOnly() {
		return Policies.NOT_PROCESSED_ONLY;
	}

	/**
	 * Retry every failure of a node (not processed, timed out, 5xx) even for endpoints not declared idempotent:
	 * go-micro's behaviour for timeouts; only for services whose endpoints are all safe to repeat.
	 */
	static RetryPolicy nodeFailures() {
		return Policies.NODE_FAILURES;
	}

	/** Never retry. */
	static RetryPolicy never() {
		return Policies.NEVER;
	}

	/**
	 * The policy named {@code name}: {@code safe}, {@code not-processed}, {@code node-failures} or {@code never}.
	 * @throws IllegalArgumentException for another name
	 */
	static RetryPolicy of(String name) {
		switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
			case "safe":
				return safe();
			case "not-processed":
				return notProcessedOnly();
			case "node-failures":
				return nodeFailures();
			case "never":
				return never();
			default:
				throw new IllegalArgumentException(
						"retry policy: " + name + " (expected: safe, not-processed, node-failures or never)");
		}
	}

	/** Retry when either this policy or {@code other} says so. */
	default RetryPolicy or(RetryPolicy other) {
		return (context, kind, idempotent) -> shouldRetry(context, kind, idempotent)
				|| other.shouldRetry(context, kind, idempotent);
	}

}

/** The named policies, one instance each. */
final class Policies {

	static final RetryPolicy SAFE = (context, kind, idempotent) -> kind == FailureKind.NOT_PROCESSED
			|| idempotent && (kind == FailureKind.TIMED_OUT || kind == FailureKind.FAILED_AFTER_PROCESSING);

	static final RetryPolicy NOT_PROCESSED_ONLY = (context, kind, idempotent) -> kind == FailureKind.NOT_PROCESSED;

	static final RetryPolicy NODE_FAILURES = (context, kind, idempotent) -> kind.isNodeFailure();

	static final RetryPolicy NEVER = (context, kind, idempotent) -> false;

	private Policies() {
	}

}
