package io.micro4j.spring.boot.autoconfigure.registry;

import io.micro4j.registry.Registry;
import io.micro4j.spring.boot.autoconfigure.MicroModules;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Imported last: when no configuration above supplied a registry for {@code micro.registry.type}, creating the
 * registry fails with the module to add.
 */
@Configuration(proxyBeanMethods = false)
class UnavailableRegistryConfiguration {

	@Bean
	@ConditionalOnMissingBean(Registry.class)
	Registry unavailableMicroRegistry(MicroRegistryProperties properties) {
		throw MicroModules.missingRegistry(properties.getType());
	}

}
