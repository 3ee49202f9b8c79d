package io.micro4j.spring.client;

import java.util.Objects;

import io.micro4j.client.Client;
import io.micro4j.metadata.Metadata;

/**
 * A {@link MicroPublisher} over {@link Client#publish(String, Object, Metadata)}.
 */
public final class ClientMicroPublisher implements MicroPublisher {

	private final Client client;

	/** A publisher that sends through {@code client}. */
	public ClientMicroPublisher(Client client) {
		this.client = Objects.requireNonNull(client, "client");
	}

	@Override
	public void publish(String topic, Object payload, Metadata metadata) {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(payload, "payload");
		Objects.requireNonNull(metadata, "metadata");
		this.client.publish(topic, payload, metadata);
	}

}
