package io.micro4j.registry;

/**
 * A registry record that is not go-micro's JSON form of a service; readers skip such records with a warning.
 */
public class InvalidRecordException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	public InvalidRecordException(String message) {
		super(message);
	}

	public InvalidRecordException(String message, Throwable cause) {
		super(message, cause);
	}

}
