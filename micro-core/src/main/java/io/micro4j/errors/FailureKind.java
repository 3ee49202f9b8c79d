package io.micro4j.errors;

/**
 * What a failed call or attempt means for whoever reacts to it (retry, outlier ejection, circuit breaker, metrics).
 * {@link FailureClassifier} assigns one to every failure; nothing else on the call path classifies.
 */
public enum FailureKind {

	/**
	 * The request never reached a handler: connection refused or unreachable, the connection failed before the
	 * request was written, a pooled connection was found closed, a local limit refused it, or the server answered
	 * "busy" (go-micro 503 from {@value FailureClassifier#SERVER_ID}) before running the handler. Always safe to retry
	 * on another node.
	 */
	NOT_PROCESSED,

	/** No answer within the attempt's time (go-micro 408): the handler may have run, may still be running. */
	TIMED_OUT,

	/** The server answered a 5xx (or the exchange broke after the request was sent): the handler may have run. */
	FAILED_AFTER_PROCESSING,

	/** The server refused the request as the caller's fault (4xx other than 408): the node is healthy. */
	CALLER_ERROR;

	/** Whether the failure says the node (rather than the caller) is unhealthy. */
	public boolean isNodeFailure() {
		return this != CALLER_ERROR;
	}

}
