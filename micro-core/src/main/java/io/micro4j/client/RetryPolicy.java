package io.micro4j.client;

import io.micro4j.errors.MicroException;
import io.micro4j.transport.ConnectFailedException;

/**
 * Decides whether a failed attempt is retried (on a newly selected node), as long as retries and the deadline allow.
 */
@FunctionalInterface
public interface RetryPolicy {

	/**
	 * @param request the request
	 * @param attempt the 0-based attempt that failed
	 * @param error the failure
	 */
	boolean shouldRetry(Request request, int attempt, Throwable error);

	/**
	 * The default: retry a timeout (code 408, as go-micro's {@code RetryOnError}) and a connection failure (the
	 * request never reached a server, so retrying it elsewhere is always safe; go-micro does not, we do).
	 */
	static RetryPolicy onTimeoutOrConnectFailure() {
		return (request, attempt, error) -> error instanceof ConnectFailedException
				|| error instanceof MicroException micro && micro.code() == 408;
	}

	/** Retry connection failures only: safe for non-idempotent endpoints. */
	static RetryPolicy onConnectFailure() {
		return (request, attempt, error) -> error instanceof ConnectFailedException;
	}

	/** Never retry. */
	static RetryPolicy never() {
		return (request, attempt, error) -> false;
	}

	/** Retry when either this policy or {@code other} says so. */
	default RetryPolicy or(RetryPolicy other) {
		return (request, attempt, error) -> shouldRetry(request, attempt, error)
				|| other.shouldRetry(request, attempt, error);
	}

}
