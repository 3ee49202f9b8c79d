package io.micro4j.client;

/**
 * Decorates {@link Client#publish} (go-micro's client wrapper around {@code Publish}): may change the message's
 * headers or body, or refuse it. In a list of wrappers the first is outermost; the publish observation runs outside
 * all of them.
 */
@FunctionalInterface
public interface PublishWrapper {

	PublishFunction wrap(PublishFunction next);

}
