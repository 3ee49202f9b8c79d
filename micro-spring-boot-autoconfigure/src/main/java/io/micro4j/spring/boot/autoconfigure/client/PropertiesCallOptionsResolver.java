package io.micro4j.spring.boot.autoconfigure.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micro4j.client.Backoff;
import io.micro4j.client.RetryPolicy;
import io.micro4j.client.CallOptions;
import io.micro4j.spring.client.CallOptionsResolver;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The {@link CallOptionsResolver} of {@link MicroClientProperties}: the client-wide settings, overridden per service
 * by {@code micro.client.services.<service>.*}. Options are built once, at construction, so a bad value fails at
 * startup.
 */
public final class PropertiesCallOptionsResolver implements CallOptionsResolver {

	private final CallOptions defaults;

	private final Map<String, CallOptions> perService;

	/**
	 * A resolver for {@code properties}.
	 * @throws InvalidConfigurationPropertyValueException if a backoff, timeout or retry count is invalid
	 */
	public PropertiesCallOptionsResolver(MicroClientProperties properties) {
		this.defaults = defaults(properties);
		Map<String, CallOptions> map = new LinkedHashMap<>();
		properties.getServices().forEach((service, override) -> map.put(service, apply(this.defaults, override,
				"micro.client.services." + service + ".")));
		this.perService = Map.copyOf(map);
	}

	/**
	 * The client-wide options of {@code properties}.
	 * @throws InvalidConfigurationPropertyValueException if a value is invalid
	 */
	public static CallOptions defaults(MicroClientProperties properties) {
		MicroClientProperties.Service all = new MicroClientProperties.Service();
		all.setRequestTimeout(properties.getRequestTimeout());
		all.setConnectionTimeout(properties.getConnectionTimeout());
		all.setRetries(properties.getRetries());
		all.setBackoff(properties.getBackoff());
		CallOptions base = CallOptions.defaults();
		try {
			base = base.toBuilder().retryPolicy(RetryPolicy.of(properties.getRetryPolicy())).build();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("micro.client.retry-policy",
					properties.getRetryPolicy(), "expected: safe, not-processed, node-failures or never");
		}
		return apply(base, all, "micro.client.");
	}

	@Override
	public CallOptions callOptions(String service) {
		return this.perService.getOrDefault(service, this.defaults);
	}

	/** The client-wide options. */
	public CallOptions defaults() {
		return this.defaults;
	}

	private static CallOptions apply(CallOptions base, MicroClientProperties.Service override, String prefix) {
		CallOptions.Builder builder = base.toBuilder();
		Duration requestTimeout = override.getRequestTimeout();
		if (requestTimeout != null) {
			requirePositive(prefix + "request-timeout", requestTimeout);
			builder.requestTimeout(requestTimeout);
		}
		Duration connectionTimeout = override.getConnectionTimeout();
		if (connectionTimeout != null) {
			requirePositive(prefix + "connection-timeout", connectionTimeout);
			builder.connectionTimeout(connectionTimeout);
		}
		Integer retries = override.getRetries();
		if (retries != null) {
			if (retries < 0) {
				throw new InvalidConfigurationPropertyValueException(prefix + "retries", retries, "expected: >= 0");
			}
			builder.retries(retries);
		}
		String backoff = override.getBackoff();
		if (backoff != null) {
			builder.backoff(parseBackoff(prefix + "backoff", backoff));
		}
		return builder.build();
	}

	private static void requirePositive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "expected: > 0");
		}
	}

	private static Backoff parseBackoff(String property, String value) {
		try {
			return Backoff.parse(value);
		}
		catch (RuntimeException ex) {
			throw new InvalidConfigurationPropertyValueException(property, value,
					"expected: jitter, exponential, none, or a duration such as 100ms");
		}
	}

	@Override
	public String toString() {
		return "PropertiesCallOptionsResolver{defaults=" + this.defaults + ", services=" + this.perService.keySet()
				+ "}";
	}

}
