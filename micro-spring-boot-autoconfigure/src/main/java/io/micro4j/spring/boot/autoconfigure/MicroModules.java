package io.micro4j.spring.boot.autoconfigure;

import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The plugin modules that implement each {@code micro.*.type}, so a type whose module is missing fails at startup
 * with the dependency to add. ({@code memory} and the {@code http} broker are in {@code micro-core}, never missing.)
 */
public final class MicroModules {

	private static final Map<String, String> REGISTRIES = Map.of("etcd", "micro-registry-etcd", "consul",
			"micro-registry-consul");

	private static final Map<String, String> BROKERS = Map.of("nats", "micro-broker-nats", "rabbitmq",
			"micro-broker-rabbitmq");

	private MicroModules() {
	}

	/** The failure for registry type {@code type} when no bean implements it. */
	public static InvalidConfigurationPropertyValueException missingRegistry(String type) {
		return missing("micro.registry.type", type, "registry", REGISTRIES, "memory, etcd, consul");
	}

	/** The failure for broker type {@code type} when no bean implements it. */
	public static InvalidConfigurationPropertyValueException missingBroker(String type) {
		return missing("micro.broker.type", type, "broker", BROKERS, "memory, http, nats, rabbitmq");
	}

	private static InvalidConfigurationPropertyValueException missing(String property, String type, String kind,
			Map<String, String> modules, String supported) {
		String module = modules.get(type.trim().toLowerCase(Locale.ROOT));
		String reason = (module != null)
				? "no " + type + " " + kind + " implementation is on the classpath: add the dependency io.micro4j:"
						+ module + " (or define a " + capitalize(kind) + " bean)"
				: "unknown " + kind + " type (expected: " + supported + ", or define a " + capitalize(kind) + " bean)";
		return new InvalidConfigurationPropertyValueException(property, type, reason);
	}

	private static String capitalize(String text) {
		return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
	}

}
