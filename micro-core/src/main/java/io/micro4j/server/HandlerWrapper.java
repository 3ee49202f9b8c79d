package io.micro4j.server;

/**
 * Decorates handler invocations (go-micro's {@code HandlerWrapper}); in a list of wrappers the first is outermost.
 */
@FunctionalInterface
public interface HandlerWrapper {

	HandlerFunction wrap(HandlerFunction next);

}
