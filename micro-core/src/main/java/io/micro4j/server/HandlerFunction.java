package io.micro4j.server;

import org.jspecify.annotations.Nullable;

/**
 * Invokes a handler method for one call (go-micro's {@code HandlerFunc}); returns the response object, a
 * {@link java.util.concurrent.CompletionStage} of it, or {@code null}. Runs on a worker thread.
 */
@FunctionalInterface
public interface HandlerFunction {

	/**
	 * Handles one call.
	 * @param request the call's context; its body is the decoded request
	 * @return the response, a {@code CompletionStage} of it, or {@code null} for an empty response
	 * @throws Exception any failure, answered as a go-micro error ({@link io.micro4j.errors.MicroException} as it is,
	 * anything else as a 500)
	 */
	@Nullable Object handle(ServerRequest request) throws Exception;

}
