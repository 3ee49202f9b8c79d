package io.micro4j.spring.boot.autoconfigure.registry;

import io.micro4j.registry.Registry;
import io.micro4j.registry.memory.MemoryRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The in-process registry, the default. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "micro.registry.type", havingValue = "memory", matchIfMissing = true)
class MemoryRegistryConfiguration {

	@Bean
	@ConditionalOnMissingBean(Registry.class)
	MemoryRegistry microRegistry() {
		return new MemoryRegistry();
	}

}
