package io.micro4j.transport;

import java.util.Objects;

import io.micro4j.metadata.Metadata;

/**
 * One request on the transport: headers and a body.
 *
 * @param headers the headers (canonical keys)
 * @param body the body bytes; empty array for none
 */
public record TransportRequest(Metadata headers, byte[] body) {

	public TransportRequest {
		Objects.requireNonNull(headers, "headers");
		Objects.requireNonNull(body, "body");
	}

}
