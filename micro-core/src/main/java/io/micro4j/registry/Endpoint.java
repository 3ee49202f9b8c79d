package io.micro4j.registry;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * An endpoint a service advertises, e.g. {@code Greeter.Hello}, with its request and response shapes.
 * <p>
 * A subscriber endpoint has no response and metadata {@code {"subscriber":"true","topic":"<topic>"}}.
 *
 * @param name {@code <Handler>.<Method>}
 * @param request the request shape, or {@code null} when unknown
 * @param response the response shape, or {@code null} (subscribers)
 * @param metadata endpoint metadata; empty for a plain unary handler
 */
public record Endpoint(String name, @Nullable Value request, @Nullable Value response, Map<String, String> metadata) {

	public Endpoint {
		Objects.requireNonNull(name, "name");
		metadata = (metadata != null) ? Map.copyOf(metadata) : Map.of();
	}

	public Optional<Value> requestValue() {
		return Optional.ofNullable(this.request);
	}

	public Optional<Value> responseValue() {
		return Optional.ofNullable(this.response);
	}

	/** Whether this is a broker subscriber endpoint ({@code subscriber=true}). */
	public boolean isSubscriber() {
		return "true".equals(this.metadata.get("subscriber"));
	}

}
