package io.micro4j.selector;

import io.micro4j.errors.MicroException;

/**
 * The registry knows no such service; go-micro's {@code "service %s: not found"} (a 500 from
 * {@code go.micro.client}).
 */
public class ServiceNotFoundException extends MicroException {

	private static final long serialVersionUID = 1L;

	public ServiceNotFoundException(String service) {
		super("go.micro.client", 500, "service " + service + ": not found", statusText(500), null);
	}

}
