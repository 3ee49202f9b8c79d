package io.micro4j.selector;

import io.micro4j.errors.MicroException;

/**
 * The service exists but no node is available (all filtered out, or none registered); go-micro's
 * {@code "none available"}, reported to callers as a 500 from {@code go.micro.client}.
 */
public class NoneAvailableException extends MicroException {

	private static final long serialVersionUID = 1L;

	public NoneAvailableException(String service) {
		super("go.micro.client", 500, "service " + service + ": none available", statusText(500), null);
	}

}
