package io.micro4j.spring.boot.autoconfigure.actuate;

import io.micro4j.broker.Broker;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.server.Server;
import io.micro4j.spring.actuate.MicroActuatorEndpoint;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code micro} endpoint, when {@code spring-boot-actuator-autoconfigure} is on the classpath and the endpoint
 * is enabled and exposed.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
class MicroEndpointConfiguration {

	@Bean
	@ConditionalOnAvailableEndpoint
	@ConditionalOnBean(Registry.class)
	@ConditionalOnMissingBean(MicroActuatorEndpoint.class)
	MicroActuatorEndpoint microActuatorEndpoint(Registry registry, ObjectProvider<Server> server,
			ObjectProvider<Broker> broker,
			@Qualifier(MicroRegistryAutoConfiguration.REGISTRY_CACHE_BEAN_NAME) ObjectProvider<RegistryCache> cache) {
		return new MicroActuatorEndpoint(registry, server.getIfUnique(), broker.getIfUnique(), cache.getIfAvailable());
	}

}
