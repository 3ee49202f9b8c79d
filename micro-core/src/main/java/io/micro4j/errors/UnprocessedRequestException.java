package io.micro4j.errors;

import org.jspecify.annotations.Nullable;

/**
 * The request certainly did not reach a handler: no connection could be made, the connection failed before the
 * request was written, or a local limit refused it before sending. Retrying it elsewhere is safe for any endpoint.
 * {@link FailureKind#NOT_PROCESSED} in the {@link FailureClassifier}.
 */
public class UnprocessedRequestException extends MicroException {

	private static final long serialVersionUID = 1L;

	/** The id of client-side transport failures, as go-micro's client names them: {@value}. */
	public static final String TRANSPORT_ID = "go.micro.client.transport";

	public UnprocessedRequestException(String id, int code, String detail, @Nullable Throwable cause) {
		super(id, code, detail, statusText(code), cause);
	}

	public UnprocessedRequestException(String detail, @Nullable Throwable cause) {
		this(TRANSPORT_ID, 500, detail, cause);
	}

}
