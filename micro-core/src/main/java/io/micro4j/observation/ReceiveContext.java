package io.micro4j.observation;

import io.micro4j.metadata.Metadata;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * Observation context of one received message (kind CONSUMER); the carrier is the message headers.
 */
public final class ReceiveContext extends ReceiverContext<Metadata> {

	private final String topic;

	private final String queue;

	public ReceiveContext(String topic, String queue, Metadata headers) {
		super((carrier, key) -> carrier.getOrNull(key));
		this.topic = topic;
		this.queue = queue;
		setCarrier(headers);
	}

	public String topic() {
		return this.topic;
	}

	/** The queue group, empty for broadcast. */
	public String queue() {
		return this.queue;
	}

}
