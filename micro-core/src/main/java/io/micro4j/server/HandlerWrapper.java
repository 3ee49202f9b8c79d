package io.micro4j.server;

/**
 * Decorates handler invocations (go-micro's {@code HandlerWrapper}): authentication, logging, metadata checks,
 * replacing the request body.
 * <p>
 * Order: in a list of wrappers the first added is outermost, so it sees the call first and the result last. In
 * Spring, {@code HandlerWrapper} beans are added in {@code @Order} / {@code Ordered} order: the lowest order is
 * outermost. The server's observation surrounds the whole chain. {@link #wrap(HandlerFunction)} is called once per
 * endpoint when the handler is added, not per call; the function it returns is called for every call and may run
 * on several threads at once.
 */
@FunctionalInterface
public interface HandlerWrapper {

	/** A function that does this wrapper's work around {@code next}. */
	HandlerFunction wrap(HandlerFunction next);

}
