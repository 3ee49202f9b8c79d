package io.micro4j.registry;

import io.micro4j.errors.MicroException;

/**
 * The registry could not be reached or refused the operation.
 */
public class RegistryException extends MicroException {

	private static final long serialVersionUID = 1L;

	public RegistryException(String detail, Throwable cause) {
		super("go.micro.registry", 500, detail, statusText(500), cause);
	}

	public RegistryException(String detail) {
		super("go.micro.registry", 500, detail, statusText(500), null);
	}

}
