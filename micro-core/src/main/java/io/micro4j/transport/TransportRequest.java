package io.micro4j.transport;

import java.util.Objects;

import io.micro4j.metadata.Metadata;

/**
 * One request on the transport: headers, a body and the request target.
 *
 * @param headers the headers (canonical keys)
 * @param body the body bytes; empty array for none
 * @param target the HTTP request target, path and query (mucp uses {@code /}; go-micro's http broker posts to
 * {@code /?id=<subscriber id>}); on the server side, what the client sent
 */
public record TransportRequest(Metadata headers, byte[] body, String target) {

	/** The request target of mucp calls: {@value}. */
	public static final String DEFAULT_TARGET = "/";

	public TransportRequest {
		Objects.requireNonNull(headers, "headers");
		Objects.requireNonNull(body, "body");
		Objects.requireNonNull(target, "target");
		if (!target.startsWith("/")) {
			throw new IllegalArgumentException("target: " + target + " (expected: a path starting with /)");
		}
	}

	/** A request to {@value #DEFAULT_TARGET}, as every mucp call. */
	public TransportRequest(Metadata headers, byte[] body) {
		this(headers, body, DEFAULT_TARGET);
	}

}
