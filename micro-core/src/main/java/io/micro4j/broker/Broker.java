package io.micro4j.broker;

/**
 * Publish/subscribe: go-micro's {@code broker.Broker}.
 * <p>
 * Without a queue every subscriber receives every message; with a queue each message goes to one member of that
 * queue group. Handlers run on broker worker threads. Implementations are thread-safe; {@link #close()} is
 * idempotent.
 */
public interface Broker extends AutoCloseable {

	/** The broker's name as go-micro spells it ({@code memory}, {@code http}, {@code nats}, {@code rabbitmq}). */
	String name();

	/** The address the broker listens on or connects to; empty when it has none. */
	default String address() {
		return "";
	}

	/**
	 * Publishes {@code message} to {@code topic}.
	 * @throws BrokerException if the broker cannot accept the message
	 */
	void publish(String topic, Message message);

	/**
	 * Subscribes {@code handler} to {@code topic}.
	 * @throws BrokerException if the subscription cannot be made
	 */
	Subscription subscribe(String topic, BrokerHandler handler, SubscribeOptions options);

	@Override
	void close();

}
