package io.micro4j.client;

import java.util.Objects;
import java.util.Optional;

import io.micro4j.metadata.Metadata;
import org.jspecify.annotations.Nullable;

/**
 * An RPC request: go-micro's {@code client.Request}.
 *
 * @param service the target service name, e.g. {@code greeter}
 * @param endpoint the endpoint, e.g. {@code Greeter.Hello}
 * @param body the request object (a POJO, record, protobuf message, {@code byte[]}...)
 * @param contentType the content type to encode with, or {@code null} for the client's default
 * @param metadata extra metadata sent as headers, on top of what the current call context propagates
 */
public record Request(String service, String endpoint, Object body, @Nullable String contentType, Metadata metadata) {

	public Request {
		Objects.requireNonNull(service, "service");
		Objects.requireNonNull(endpoint, "endpoint");
		Objects.requireNonNull(body, "body");
		Objects.requireNonNull(metadata, "metadata");
	}

	public static Request of(String service, String endpoint, Object body) {
		return new Request(service, endpoint, body, null, Metadata.empty());
	}

	public Optional<String> contentTypeOverride() {
		return Optional.ofNullable(this.contentType);
	}

	public Request withContentType(String contentType) {
		return new Request(this.service, this.endpoint, this.body, contentType, this.metadata);
	}

	public Request withMetadata(Metadata metadata) {
		return new Request(this.service, this.endpoint, this.body, this.contentType, this.metadata.merge(metadata));
	}

}
