package io.micro4j.spring.boot.autoconfigure.diagnostics;

import java.util.regex.Pattern;

import io.micro4j.broker.BrokerException;
import io.micro4j.errors.MicroException;
import io.micro4j.registry.RegistryException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Turns a broker or registry that cannot be reached while the application starts into Spring Boot's "APPLICATION
 * FAILED TO START" report: which broker or registry, at which address, the error, and how to fix it — instead of
 * the chain of bean creation exceptions around it.
 * <p>
 * Registries never stop a start: like go-micro, the server keeps starting and registers in the background. A broker
 * whose client connects eagerly (NATS, RabbitMQ) does, as go-micro's {@code Broker.Connect} does; this analysis is
 * what the user sees then. Credentials in addresses ({@code amqp://user:password@host}) are not shown.
 */
public class MicroConnectionFailureAnalyzer extends AbstractFailureAnalyzer<MicroException> {

	private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/@\\s]*@");

	private final Environment environment;

	/** An analyzer that reads the micro settings from {@code environment}; Spring Boot creates it. */
	public MicroConnectionFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, MicroException cause) {
		if (cause instanceof BrokerException) {
			String type = this.environment.getProperty("micro.broker.type", "memory");
			String address = this.environment.getProperty("micro.broker.address", "(the default)");
			return new FailureAnalysis(describe("broker", type, address, cause),
					"Start the " + type + " broker or correct micro.broker.address"
							+ devServicesHint(type)
							+ ". go-micro too refuses to start when its broker cannot connect; a service that must start"
							+ " without one can use micro.broker.type=http (go-micro's broker over the registry) or"
							+ " memory (this process only).",
					cause);
		}
		if (cause instanceof RegistryException) {
			String type = this.environment.getProperty("micro.registry.type", "memory");
			String address = this.environment.getProperty("micro.registry.address", "(the default)");
			return new FailureAnalysis(describe("registry", type, address, cause),
					"Start the " + type + " registry or correct micro.registry.address" + devServicesHint(type) + ".",
					cause);
		}
		return null;
	}

	private static String describe(String what, String type, String address, MicroException cause) {
		return "The micro " + what + " could not be reached while the application started.\n\n"
				+ "    micro." + what + ".type: " + type + "\n"
				+ "    micro." + what + ".address: " + redact(address) + "\n"
				+ "    error: " + redact(cause.detail());
	}

	private static String devServicesHint(String type) {
		return switch (type) {
			case "nats", "etcd", "consul" -> " (for a local try, `scripts/dev-services start " + type
					+ "` in the micro4j repository starts one on loopback)";
			default -> "";
		};
	}

	static String redact(String text) {
		return USER_INFO.matcher(text).replaceAll("***@");
	}

}
