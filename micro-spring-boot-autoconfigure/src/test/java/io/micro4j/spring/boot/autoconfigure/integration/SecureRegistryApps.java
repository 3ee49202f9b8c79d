package io.micro4j.spring.boot.autoconfigure.integration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryException;
import io.micro4j.spring.actuate.MicroActuatorEndpoint;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.Greeter;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Applications that reach a real registry over TLS, as separate processes would: each test holds one, starts its
 * applications through it and {@linkplain #close() closes} it afterwards. Everything logged meanwhile (DEBUG and up)
 * is kept, so tests can check that no secret was written.
 */
final class SecureRegistryApps implements AutoCloseable {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	private final Level rootLevel;

	SecureRegistryApps() {
		this.rootLevel = this.root.getLevel();
		captureLogs();
	}

	/**
	 * (Re)starts and attaches the appender: Spring Boot's logging system may have reset logback on an application
	 * start, which detaches and stops appenders.
	 */
	private void captureLogs() {
		this.root.setLevel(Level.DEBUG);
		if (!this.logs.isStarted()) {
			this.logs.start();
		}
		if (!this.root.isAttached(this.logs)) {
			this.root.addAppender(this.logs);
		}
	}

	static String file(Path path) {
		return "file:" + path.toAbsolutePath();
	}

	/** Starts the greeter (a server answering as {@code instance}) with {@code properties}. */
	ConfigurableApplicationContext greeter(String instance, String... properties) {
		return start(GreeterApp.class, "spring.application.name=greeter", "greeter.instance=" + instance)
			.properties(properties)
			.run();
	}

	/** Starts a client (no micro server) with {@code properties}. */
	ConfigurableApplicationContext client(String... properties) {
		return start(GreeterApp.class, "micro.server.enabled=false", "greeter.instance=client")
			.properties(properties)
			.run();
	}

	/** An application builder whose context this closes; run it. */
	SpringApplicationBuilder start(Class<?> application, String... properties) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("micro.server.address=127.0.0.1:0", "spring.main.register-shutdown-hook=false",
					"micro.client.retries=0", "management.endpoints.web.exposure.include=*")
			.properties(properties)
			.listeners((event) -> {
				if (event instanceof ApplicationPreparedEvent prepared) {
					captureLogs();
					this.contexts.add(prepared.getApplicationContext());
				}
			});
	}

	/** The WARN lines logged so far, formatted. */
	List<String> warnings() {
		List<String> warnings = new ArrayList<>();
		for (ILoggingEvent event : List.copyOf(this.logs.list)) {
			if (event.getLevel() == Level.WARN) {
				warnings.add(event.getFormattedMessage());
			}
		}
		return warnings;
	}

	/** Everything logged so far, with stack traces. */
	String everythingLogged() {
		StringBuilder all = new StringBuilder();
		for (ILoggingEvent event : List.copyOf(this.logs.list)) {
			all.append(event.getFormattedMessage()).append('\n');
			if (event.getThrowableProxy() != null) {
				all.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
			}
		}
		return all.toString();
	}

	/**
	 * What the actuator would answer for {@code /actuator/micro} (as JSON) and the health indicators with their
	 * details.
	 */
	static String actuatorOutput(ConfigurableApplicationContext context) {
		JsonMapper json = JsonMapper.builder().build();
		StringBuilder all = new StringBuilder();
		context.getBeanProvider(MicroActuatorEndpoint.class)
			.forEach((endpoint) -> all.append(json.writeValueAsString(endpoint.micro())).append('\n'));
		context.getBeansOfType(HealthIndicator.class).forEach((name, indicator) -> {
			var health = indicator.health(true);
			all.append(name).append(": ").append(health.getStatus()).append(' ').append(health.getDetails())
				.append('\n');
		});
		return all.toString();
	}

	/**
	 * The {@link RegistryException} that {@code call} throws, within 30 seconds at most.
	 * @throws AssertionError if it throws none, or takes longer
	 */
	static RegistryException registryFailure(Runnable call) {
		return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
			try {
				call.run();
			}
			catch (RegistryException ex) {
				return ex;
			}
			throw new AssertionError("expected a RegistryException");
		});
	}

	/**
	 * Waits until {@code bundle} was reloaded for the {@code type} registry connection (its INFO line) and
	 * {@code registry} answers again, 20 seconds at most.
	 */
	void awaitReloaded(String type, Registry registry) {
		String reloaded = "SSL bundle '" + type + "' reloaded: new connections of the " + type
				+ " registry connection use its certificates";
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.until(() -> everythingLogged().contains(reloaded) && registry.getService("greeter").isEmpty());
	}

	@Override
	public void close() {
		for (int i = this.contexts.size() - 1; i >= 0; i--) {
			this.contexts.get(i).close();
		}
		this.contexts.clear();
		this.root.detachAppender(this.logs);
		this.root.setLevel(this.rootLevel);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Greeter.class)
	static class GreeterApp {

	}

}
