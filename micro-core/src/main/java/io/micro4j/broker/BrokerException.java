package io.micro4j.broker;

import io.micro4j.errors.MicroException;

/**
 * The broker could not publish or subscribe.
 */
public class BrokerException extends MicroException {

	private static final long serialVersionUID = 1L;

	public BrokerException(String detail, Throwable cause) {
		super("go.micro.broker", 500, detail, statusText(500), cause);
	}

	public BrokerException(String detail) {
		super("go.micro.broker", 500, detail, statusText(500), null);
	}

}
