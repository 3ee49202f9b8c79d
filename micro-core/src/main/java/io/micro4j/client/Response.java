package io.micro4j.client;

import java.util.Objects;

import io.micro4j.metadata.Metadata;

/**
 * The raw answer of one attempt, before decoding: the response headers and the encoded body.
 *
 * @param headers the response headers
 * @param body the encoded body
 */
public record Response(Metadata headers, byte[] body) {

	public Response {
		Objects.requireNonNull(headers, "headers");
		Objects.requireNonNull(body, "body");
	}

}
