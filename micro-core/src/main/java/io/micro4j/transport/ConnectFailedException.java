package io.micro4j.transport;

import io.micro4j.errors.UnprocessedRequestException;

/**
 * No connection to the node could be made (refused, unreachable, connect timeout): the request never reached a
 * server, so the client may safely retry it on another node, and the selector ejects the node for a while.
 */
public class ConnectFailedException extends UnprocessedRequestException {

	private static final long serialVersionUID = 1L;

	public ConnectFailedException(String address, Throwable cause) {
		super("dial " + address + ": " + ((cause.getMessage() != null) ? cause.getMessage() : cause.toString()), cause);
	}

	/** A failure to connect to {@code address}, described by {@code detail}. */
	protected ConnectFailedException(String address, String detail, Throwable cause) {
		super("dial " + address + ": " + detail, cause);
	}

}
