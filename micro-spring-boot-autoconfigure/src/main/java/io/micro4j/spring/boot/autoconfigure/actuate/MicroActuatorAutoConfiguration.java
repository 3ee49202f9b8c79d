package io.micro4j.spring.boot.autoconfigure.actuate;

import io.micro4j.spring.boot.autoconfigure.broker.MicroBrokerAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.server.MicroServerAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the Spring Boot Actuator support, each part only when its Actuator module is on the
 * classpath. Registers:
 * <ul>
 * <li>{@code micro-registryHealthIndicator}, a {@link io.micro4j.spring.actuate.RegistryHealthIndicator} (health
 * component {@code micro-registry}: connection state plus a probe cached for
 * {@code micro.registry.health-probe-interval}, the first bounded by {@code micro.registry.health-timeout}), with
 * {@code spring-boot-health} unless {@code management.health.micro-registry.enabled=false};</li>
 * <li>{@code micro-serverHealthIndicator}, a {@link io.micro4j.spring.actuate.MicroServerHealthIndicator} (health
 * component {@code micro-server}, member of the {@code readiness} group by default), with
 * {@code spring-boot-health} unless {@code management.health.micro-server.enabled=false};</li>
 * <li>{@code micro-brokerHealthIndicator}, a {@link io.micro4j.spring.actuate.BrokerHealthIndicator} (health component
 * {@code micro-broker}), with {@code spring-boot-health} unless {@code management.health.micro-broker.enabled=false};
 * </li>
 * <li>{@code microActuatorEndpoint}, the {@code micro} endpoint
 * ({@link io.micro4j.spring.actuate.MicroActuatorEndpoint}), with {@code spring-boot-actuator-autoconfigure} when
 * the endpoint is available: enabled, and exposed (for example {@code management.endpoints.web.exposure.include}
 * lists {@code micro}).</li>
 * </ul>
 */
@AutoConfiguration(after = { MicroRegistryAutoConfiguration.class, MicroBrokerAutoConfiguration.class,
		MicroServerAutoConfiguration.class })
@Import({ MicroHealthConfiguration.class, MicroEndpointConfiguration.class })
public final class MicroActuatorAutoConfiguration {

	/** The name of the registry health indicator bean; its health component is {@code micro-registry}. */
	public static final String REGISTRY_HEALTH_BEAN_NAME = "micro-registryHealthIndicator";

	/** The name of the server readiness indicator bean; its health component is {@code micro-server}. */
	public static final String SERVER_HEALTH_BEAN_NAME = "micro-serverHealthIndicator";

	/** The name of the broker health indicator bean; its health component is {@code micro-broker}. */
	public static final String BROKER_HEALTH_BEAN_NAME = "micro-brokerHealthIndicator";

}
