package io.micro4j.codec;

import io.micro4j.errors.MicroException;

/**
 * A body could not be encoded or decoded; reported as a 400 ({@code go.micro.codec}) when a request body is bad,
 * a 500 otherwise.
 */
public class CodecException extends MicroException {

	private static final long serialVersionUID = 1L;

	public CodecException(int code, String detail, Throwable cause) {
		super("go.micro.codec", code, detail, statusText(code), cause);
	}

	public CodecException(int code, String detail) {
		super("go.micro.codec", code, detail, statusText(code), null);
	}

}
