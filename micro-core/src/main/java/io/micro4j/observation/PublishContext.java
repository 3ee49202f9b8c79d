package io.micro4j.observation;

import java.util.Map;

import io.micrometer.observation.transport.SenderContext;

/**
 * Observation context of one publish (kind PRODUCER); the carrier is the mutable map of message headers.
 */
public final class PublishContext extends SenderContext<Map<String, String>> {

	private final String topic;

	private final String brokerName;

	public PublishContext(String topic, String brokerName, Map<String, String> headers) {
		super((carrier, key, value) -> carrier.put(key, value));
		this.topic = topic;
		this.brokerName = brokerName;
		setCarrier(headers);
	}

	public String topic() {
		return this.topic;
	}

	public String brokerName() {
		return this.brokerName;
	}

}
