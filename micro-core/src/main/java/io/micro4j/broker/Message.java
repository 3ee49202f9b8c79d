package io.micro4j.broker;

import java.util.Objects;

import io.micro4j.metadata.Metadata;

/**
 * A broker message: go-micro's {@code broker.Message{Header, Body}}.
 *
 * @param headers the headers ({@code Content-Type}, {@code Micro-Id}, {@code Micro-Topic} and the publisher's
 * metadata)
 * @param body the encoded payload
 */
public record Message(Metadata headers, byte[] body) {

	public Message {
		Objects.requireNonNull(headers, "headers");
		Objects.requireNonNull(body, "body");
	}

}
