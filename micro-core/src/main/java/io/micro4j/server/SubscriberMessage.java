package io.micro4j.server;

import java.util.Objects;
import java.util.Optional;

import io.micro4j.metadata.Metadata;
import org.jspecify.annotations.Nullable;

/**
 * One broker message as it flows through the {@link SubscriberWrapper} chain to a subscriber method (go-micro's
 * {@code server.Message}): topic, queue group, content type, headers and the decoded payload. A wrapper replaces the
 * payload by passing {@link #withPayload(Object)} to the next function.
 */
public final class SubscriberMessage {

	private final String topic;

	private final @Nullable String queue;

	private final String contentType;

	private final Metadata headers;

	private final Object payload;

	/**
	 * A message on {@code topic}.
	 * @param topic the topic
	 * @param queue the queue group, or {@code null} for broadcast
	 * @param contentType the body's content type
	 * @param headers the message headers
	 * @param payload the decoded payload
	 */
	public SubscriberMessage(String topic, @Nullable String queue, String contentType, Metadata headers,
			Object payload) {
		this.topic = Objects.requireNonNull(topic, "topic");
		this.queue = queue;
		this.contentType = Objects.requireNonNull(contentType, "contentType");
		this.headers = Objects.requireNonNull(headers, "headers");
		this.payload = Objects.requireNonNull(payload, "payload");
	}

	/** The topic the message arrived on. */
	public String topic() {
		return this.topic;
	}

	/** The subscriber's queue group; empty for a broadcast subscriber. */
	public Optional<String> queue() {
		return Optional.ofNullable(this.queue);
	}

	/** The body's content type. */
	public String contentType() {
		return this.contentType;
	}

	/** The message headers (case-insensitive). */
	public Metadata headers() {
		return this.headers;
	}

	/** The decoded payload. */
	public Object payload() {
		return this.payload;
	}

	/** A copy whose payload is {@code payload}. */
	public SubscriberMessage withPayload(Object payload) {
		return new SubscriberMessage(this.topic, this.queue, this.contentType, this.headers, payload);
	}

	@Override
	public String toString() {
		return "SubscriberMessage[topic=" + this.topic + ", queue=" + this.queue + ", contentType=" + this.contentType
				+ "]";
	}

}
