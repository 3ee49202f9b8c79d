package io.micro4j.spring.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.micro4j.metadata.CallContext;
import io.micro4j.metadata.Metadata;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway serves and how.
 *
 * @param path the path the gateway serves {@code {service}/{endpoint}} under, e.g. {@code /api}
 * @param services the services it may call, by name or by pattern where {@code *} stands for any characters;
 * {@code *} alone is every service (go-micro's behaviour); never empty
 * @param maxRequestSize the largest request body accepted, in bytes
 * @param timeout the deadline of a call without a {@code Timeout} header; {@code null} for the client's request
 * timeout of the service
 * @param maxTimeout the longest deadline a {@code Timeout} header may ask for
 * @param forwardHeaders the request headers passed to the service as call metadata
 */
public record GatewayOptions(String path, List<String> services, long maxRequestSize, @Nullable Duration timeout,
		Duration maxTimeout, List<String> forwardHeaders) {

	private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~\\-]+)+");

	public GatewayOptions {
		Objects.requireNonNull(path, "path");
		if (!PATH.matcher(path).matches()) {
			throw new IllegalArgumentException("path: " + path + " (expected: /segment[/segment...], e.g. /api)");
		}
		services = List.copyOf(services);
		if (services.isEmpty() || services.stream().anyMatch(String::isBlank)) {
			throw new IllegalArgumentException("services: " + services + " (expected: the names or patterns of the "
					+ "services the gateway may call, e.g. greeter or orders-*; * for every service)");
		}
		if (maxRequestSize <= 0) {
			throw new IllegalArgumentException("maxRequestSize: " + maxRequestSize + " (expected: > 0)");
		}
		if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
		}
		Objects.requireNonNull(maxTimeout, "maxTimeout");
		if (maxTimeout.isNegative() || maxTimeout.isZero()) {
			throw new IllegalArgumentException("maxTimeout: " + maxTimeout + " (expected: > 0)");
		}
		forwardHeaders = List.copyOf(forwardHeaders);
		for (String header : forwardHeaders) {
			String key = Metadata.canonicalKey(header);
			if (CallContext.HOP_KEYS.contains(key) && !"Authorization".equals(key)) {
				throw new IllegalArgumentException("forwardHeaders: " + header
						+ " (expected: not a header the client sets itself: " + CallContext.HOP_KEYS + ")");
			}
		}
	}

	/** Whether {@link #services()} names {@code service}, exactly or by a pattern. */
	Predicate<String> exposedServices() {
		Predicate<String> result = (service) -> false;
		for (String entry : this.services) {
			String trimmed = entry.trim();
			if (trimmed.contains("*")) {
				StringBuilder regex = new StringBuilder();
				for (String literal : trimmed.split("\\*", -1)) {
					if (!regex.isEmpty()) {
						regex.append(".*");
					}
					regex.append(Pattern.quote(literal));
				}
				Pattern pattern = Pattern.compile(regex.toString());
				result = result.or((service) -> pattern.matcher(service).matches());
			}
			else {
				result = result.or(trimmed::equals);
			}
		}
		return result;
	}

}
