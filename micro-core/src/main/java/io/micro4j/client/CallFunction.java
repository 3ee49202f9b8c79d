package io.micro4j.client;

import java.util.concurrent.CompletableFuture;

/**
 * One step of the call path: go-micro's {@code CallFunc}. At the end of the chain the transport sends what the
 * {@link ClientRequestContext} holds. The future may complete on an I/O thread: do not block in its callbacks.
 */
@FunctionalInterface
public interface CallFunction {

	CompletableFuture<Response> call(ClientRequestContext context);

}
