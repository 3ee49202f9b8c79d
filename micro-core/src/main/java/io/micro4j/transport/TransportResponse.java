package io.micro4j.transport;

import java.util.Objects;

import io.micro4j.metadata.Metadata;

/**
 * One response on the transport.
 *
 * @param status the HTTP status; mucp answers 200 even for errors (they travel in {@code Micro-Error}), other
 * statuses mean a transport-level failure (e.g. 413 for a body over the limit)
 * @param headers the headers (canonical keys)
 * @param body the body bytes; empty array for none
 */
public record TransportResponse(int status, Metadata headers, byte[] body) {

	public TransportResponse {
		Objects.requireNonNull(headers, "headers");
		Objects.requireNonNull(body, "body");
	}

}
