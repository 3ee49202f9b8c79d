package io.micro4j.client;

import java.util.concurrent.CompletableFuture;

/**
 * One step of the call path: go-micro's {@code CallFunc}. At the end of the chain the transport sends what the
 * {@link ClientRequestContext} holds. The future may complete on an I/O thread: do not block in its callbacks.
 */
@FunctionalInterface
public interface CallFunction {

	CompletableFuture<Response> call(ClientRequestContext context);

	/** {@link #call}, with an exception thrown by it turned into a failed future: what a wrapper calls next with. */
	default CompletableFuture<Response> callSafely(ClientRequestContext context) {
		try {
			return call(context);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

}
