package io.micro4j.errors;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

/**
 * The one failure classification of the call path: retry, outlier ejection, circuit breaking and metrics all ask
 * {@link #classify(Throwable)}. It walks the cause chain (at most 16 deep), so a wrapped failure is classified as
 * what it wraps.
 * <ul>
 * <li>{@link FailureKind#NOT_PROCESSED}: an {@link UnprocessedRequestException} (which includes
 * {@code ConnectFailedException}), a {@link ConnectException} or {@link NoRouteToHostException}, or a go-micro 503
 * whose id is {@value #SERVER_ID} (a micro4j server refusing work before the handler ran);</li>
 * <li>{@link FailureKind#TIMED_OUT}: a {@link MicroException} with code 408;</li>
 * <li>{@link FailureKind#CALLER_ERROR}: any other 4xx {@link MicroException};</li>
 * <li>{@link FailureKind#FAILED_AFTER_PROCESSING}: everything else (5xx, broken exchanges, unexpected exceptions).</li>
 * </ul>
 */
public final class FailureClassifier {

	/** The error id a micro4j server answers with when it refuses a call before running the handler: {@value}. */
	public static final String SERVER_ID = "go.micro.server";

	private FailureClassifier() {
	}

	/** The kind of {@code error}; {@code null} (success) is not a failure and answers {@code null}. */
	public static @Nullable FailureKind classify(@Nullable Throwable error) {
		if (error == null) {
			return null;
		}
		Throwable current = unwrap(error);
		MicroException first = null;
		for (int depth = 0; current != null && depth < 16; depth++) {
			if (current instanceof UnprocessedRequestException || current instanceof ConnectException
					|| current instanceof NoRouteToHostException) {
				return FailureKind.NOT_PROCESSED;
			}
			if (first == null && current instanceof MicroException micro) {
				first = micro;
			}
			current = current.getCause();
		}
		if (first == null) {
			return FailureKind.FAILED_AFTER_PROCESSING;
		}
		int code = first.code();
		if (code == 408) {
			return FailureKind.TIMED_OUT;
		}
		if (code == 503 && SERVER_ID.equals(first.id())) {
			return FailureKind.NOT_PROCESSED;
		}
		if (code >= 400 && code < 500) {
			return FailureKind.CALLER_ERROR;
		}
		return FailureKind.FAILED_AFTER_PROCESSING;
	}

	/** {@code error} without {@link CompletionException} / {@link ExecutionException} wrappers. */
	public static Throwable unwrap(Throwable error) {
		Throwable e = error;
		while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
			e = e.getCause();
		}
		return e;
	}

}
