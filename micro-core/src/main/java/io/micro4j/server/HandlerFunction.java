package io.micro4j.server;

/**
 * Invokes a handler method for one decoded request; returns the response object. Runs on a worker thread.
 */
@FunctionalInterface
public interface HandlerFunction {

	Object handle(ServerRequest request) throws Exception;

}
