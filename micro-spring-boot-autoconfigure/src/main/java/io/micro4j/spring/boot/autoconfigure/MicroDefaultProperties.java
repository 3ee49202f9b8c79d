package io.micro4j.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults the starter gives Spring Boot's own settings, as the lowest-precedence property source
 * ({@value #SOURCE_NAME}): any value in {@code application.yml}, the environment or the command line wins.
 * <ul>
 * <li>{@code management.endpoint.health.probes.enabled=true}: the {@code liveness} and {@code readiness} groups
 * exist everywhere, not only on Kubernetes.</li>
 * <li>{@code management.endpoint.health.group.liveness.include=livenessState}: liveness is the application's own
 * state only, so a registry or broker outage never fails it.</li>
 * <li>{@code management.endpoint.health.group.readiness.include=readinessState,micro-server}: ready once Boot is
 * ready and the micro server has registered once (unless {@code management.health.micro-server.enabled=false}, or
 * the application sets its own list).</li>
 * <li>{@code logging.level.io.etcd.jetcd=ERROR} and {@code logging.level.io.grpc.internal=ERROR}: jetcd and
 * grpc-java log every failed attempt while etcd is down; the registry logs one WARN per outage and one INFO when it
 * ends instead.</li>
 * </ul>
 */
public final class MicroDefaultProperties implements EnvironmentPostProcessor {

	/** The name of the property source. */
	public static final String SOURCE_NAME = "microDefaultProperties";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("management.endpoint.health.probes.enabled", "true");
		defaults.put("management.endpoint.health.group.liveness.include", "livenessState");
		boolean serverIndicator = environment.getProperty("management.health.micro-server.enabled", Boolean.class,
				environment.getProperty("management.health.defaults.enabled", Boolean.class, true));
		defaults.put("management.endpoint.health.group.readiness.include",
				serverIndicator ? "readinessState,micro-server" : "readinessState");
		defaults.put("logging.level.io.etcd.jetcd", "ERROR");
		defaults.put("logging.level.io.grpc.internal", "ERROR");
		environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
	}

}
