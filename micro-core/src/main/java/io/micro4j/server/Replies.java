package io.micro4j.server;

import java.util.Set;

import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.MicroException;
import io.micro4j.internal.LogSafe;
import io.micro4j.metadata.Metadata;
import io.micro4j.transport.TransportResponse;
import org.jspecify.annotations.Nullable;

/**
 * The wire form of a server's answers: reply headers echoing the request's, errors in {@code Micro-Error} and
 * {@code X-Micro-Error} with an empty body, and go-micro's wording for unknown endpoints.
 */
final class Replies {

	/** The longest error detail sent, in characters. */
	static final int MAX_DETAIL_LENGTH = 4096;

	private final String service;

	private final String defaultContentType;

	Replies(String service, String defaultContentType) {
		this.service = service;
		this.defaultContentType = defaultContentType;
	}

	TransportResponse success(Metadata requestHeaders, String endpoint, String contentType, byte[] body) {
		return new TransportResponse(200, headers(requestHeaders, endpoint, contentType).build(), body);
	}

	/**
	 * An error answer. A detail longer than {@value #MAX_DETAIL_LENGTH} characters is cut (ending with
	 * {@code …(N more)}), so an error that echoes a large request still fits a client's header limit.
	 */
	TransportResponse error(Metadata requestHeaders, String endpoint, @Nullable String contentType,
			MicroException error) {
		String json = (error.detail().length() > MAX_DETAIL_LENGTH)
				? new MicroException(error.id(), error.code(), LogSafe.text(error.detail(), MAX_DETAIL_LENGTH),
						error.status(), null).toJson()
				: error.toJson();
		Metadata headers = headers(requestHeaders, endpoint,
				(contentType != null && !contentType.isEmpty()) ? contentType : this.defaultContentType)
			.put("Micro-Error", json)
			.put("X-Micro-Error", json)
			.build();
		return new TransportResponse(200, headers, new byte[0]);
	}

	private Metadata.Builder headers(Metadata requestHeaders, String endpoint, String contentType) {
		String id = requestHeaders.getOrNull("Micro-Id");
		return requestHeaders.toBuilder()
			.remove("Content-Length")
			.remove("Host")
			.remove("Connection")
			.remove("Transfer-Encoding")
			.put("Micro-Id", (id != null) ? id : "")
			.put("Micro-Service", this.service)
			.put("Micro-Method", endpoint)
			.put("Micro-Endpoint", endpoint)
			.put("Content-Type", contentType);
	}

	/** go-micro's answer for an endpoint no handler serves: a 400 when malformed, else a 404. */
	static MicroException unknown(String endpoint, Set<String> endpoints) {
		int dot = endpoint.indexOf('.');
		if (dot <= 0 || dot == endpoint.length() - 1 || endpoint.indexOf('.', dot + 1) >= 0) {
			return MicroException.badRequest(FailureClassifier.SERVER_ID,
					"rpc: service/endpoint request not well-formed: %s (expected: Handler.Method)", endpoint);
		}
		String handler = endpoint.substring(0, dot);
		boolean knownHandler = endpoints.stream().anyMatch(e -> e.startsWith(handler + "."));
		return knownHandler
				? MicroException.notFound(FailureClassifier.SERVER_ID, "rpc: can't find method %s",
						endpoint.substring(dot + 1))
				: MicroException.notFound(FailureClassifier.SERVER_ID, "rpc: can't find service %s", handler);
	}

}
