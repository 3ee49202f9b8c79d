package io.micro4j.server;

/**
 * Decorates subscriber invocations (go-micro's {@code SubscriberWrapper}).
 * <p>
 * Order: the first added is outermost; in Spring the {@code SubscriberWrapper} bean with the lowest {@code @Order}
 * is outermost. The receive observation surrounds the whole chain. {@link #wrap(SubscriberFunction)} is called once
 * per subscriber when it is added, not per message.
 */
@FunctionalInterface
public interface SubscriberWrapper {

	/** A function that does this wrapper's work around {@code next}. */
	SubscriberFunction wrap(SubscriberFunction next);

}
