package io.micro4j.spring.boot.autoconfigure.actuate;

import io.micro4j.broker.Broker;
import io.micro4j.registry.Registry;
import io.micro4j.server.Server;
import io.micro4j.spring.actuate.BrokerHealthIndicator;
import io.micro4j.spring.actuate.MicroServerHealthIndicator;
import io.micro4j.spring.actuate.RegistryHealthIndicator;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code micro-registry}, {@code micro-broker} and {@code micro-server} health indicators, when
 * {@code spring-boot-health} is on the classpath; each can be turned off with
 * {@code management.health.<name>.enabled=false}. {@code micro-server} is in the readiness group by default
 * ({@link io.micro4j.spring.boot.autoconfigure.MicroDefaultProperties}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(HealthIndicator.class)
class MicroHealthConfiguration {

	@Bean(MicroActuatorAutoConfiguration.REGISTRY_HEALTH_BEAN_NAME)
	@ConditionalOnEnabledHealthIndicator("micro-registry")
	@ConditionalOnBean(Registry.class)
	@ConditionalOnMissingBean(name = MicroActuatorAutoConfiguration.REGISTRY_HEALTH_BEAN_NAME)
	RegistryHealthIndicator microRegistryHealthIndicator(Registry registry, MicroRegistryProperties properties) {
		return new RegistryHealthIndicator(registry, properties.getHealthTimeout(),
				properties.getHealthProbeInterval());
	}

	@Bean(MicroActuatorAutoConfiguration.SERVER_HEALTH_BEAN_NAME)
	@ConditionalOnEnabledHealthIndicator("micro-server")
	@ConditionalOnMissingBean(name = MicroActuatorAutoConfiguration.SERVER_HEALTH_BEAN_NAME)
	MicroServerHealthIndicator microServerHealthIndicator(ObjectProvider<Server> server) {
		return new MicroServerHealthIndicator(server.getIfUnique());
	}

	@Bean(MicroActuatorAutoConfiguration.BROKER_HEALTH_BEAN_NAME)
	@ConditionalOnEnabledHealthIndicator("micro-broker")
	@ConditionalOnBean(Broker.class)
	@ConditionalOnMissingBean(name = MicroActuatorAutoConfiguration.BROKER_HEALTH_BEAN_NAME)
	BrokerHealthIndicator microBrokerHealthIndicator(Broker broker) {
		return new BrokerHealthIndicator(broker);
	}

}
