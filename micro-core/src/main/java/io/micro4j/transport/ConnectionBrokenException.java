package io.micro4j.transport;

import io.micro4j.errors.MicroException;
import org.jspecify.annotations.Nullable;

/**
 * The connection broke (reset, or closed by the peer) after the request was written and before the response: the
 * node probably died, and the request may have been processed. A 500 of the client transport; the selector stops
 * sending to the node until it accepts connections again, and only idempotent endpoints are retried.
 */
public class ConnectionBrokenException extends MicroException {

	private static final long serialVersionUID = 1L;

	public ConnectionBrokenException(String detail, @Nullable Throwable cause) {
		super("go.micro.client.transport", 500, detail + " (the request may have been processed)", statusText(500),
				cause);
	}

}
