package io.micro4j.observation;

import io.micro4j.metadata.Metadata;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * Observation context of one received message (kind CONSUMER); the carrier is the message headers.
 */
public final class ReceiveContext extends ReceiverContext<Metadata> {

	private final String topic;

	private final String queue;

	private final String brokerName;

	public ReceiveContext(String topic, String queue, String brokerName, Metadata headers) {
		super((carrier, key) -> carrier.getOrNull(key));
		this.topic = topic;
		this.queue = queue;
		this.brokerName = brokerName;
		setCarrier(headers);
	}

	public String topic() {
		return this.topic;
	}

	/** The broker's name ({@code memory}, {@code http}, ...). */
	public String brokerName() {
		return this.brokerName;
	}

	/** The queue group, empty for broadcast. */
	public String queue() {
		return this.queue;
	}

}
