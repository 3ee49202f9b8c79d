package io.micro4j.broker;

import io.micro4j.errors.MicroException;

/**
 * A payload that is not go-micro's JSON broker envelope ({@code {"Header":{...},"Body":"<base64>"}}): a 400 error
 * with id {@code go.micro.broker}.
 */
public class InvalidEnvelopeException extends MicroException {

	private static final long serialVersionUID = 1L;

	public InvalidEnvelopeException(String detail, Throwable cause) {
		super(Envelope.ERROR_ID, 400, detail, statusText(400), cause);
	}

	public InvalidEnvelopeException(String detail) {
		super(Envelope.ERROR_ID, 400, detail, statusText(400), null);
	}

}
