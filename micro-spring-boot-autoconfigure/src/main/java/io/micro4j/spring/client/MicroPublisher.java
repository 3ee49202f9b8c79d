package io.micro4j.spring.client;

import io.micro4j.metadata.Metadata;

/**
 * Publishes events through the micro client's broker, as go-micro's {@code micro.NewEvent(topic, client)} does:
 * the payload is encoded with the default content type's codec and sent with the headers {@code Content-Type},
 * {@code Micro-Topic} and {@code Micro-Id}, plus the current call's propagated metadata (the trace context among
 * it) and the given metadata.
 */
public interface MicroPublisher {

	/**
	 * Publishes {@code payload} to {@code topic}.
	 * @throws io.micro4j.broker.BrokerException if the broker refuses the message
	 */
	default void publish(String topic, Object payload) {
		publish(topic, payload, Metadata.empty());
	}

	/**
	 * Publishes {@code payload} to {@code topic} with {@code metadata} as extra message headers.
	 * @throws io.micro4j.broker.BrokerException if the broker refuses the message
	 */
	void publish(String topic, Object payload, Metadata metadata);

}
