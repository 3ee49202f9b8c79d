package io.micro4j.spring.boot.autoconfigure.registry;

import java.nio.file.Path;
import java.util.List;

import io.micro4j.registry.Registry;
import io.micro4j.registry.consul.ConsulRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Consul registry, when {@code micro.registry.type=consul} and {@code micro-registry-consul} is on the
 * classpath: on the agent at {@code micro.registry.address} (default {@value ConsulRegistry#DEFAULT_ADDRESS}) with
 * the {@code micro.registry.consul.*} settings, then the {@link ConsulRegistryBuilderCustomizer} beans.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ConsulRegistry.class)
@ConditionalOnProperty(name = "micro.registry.type", havingValue = "consul")
class ConsulRegistryConfiguration {

	@Bean
	@ConditionalOnMissingBean(Registry.class)
	ConsulRegistry microRegistry(MicroRegistryProperties properties,
			ObjectProvider<ConsulRegistryBuilderCustomizer> customizers) {
		List<String> addresses = properties.getAddress();
		if (addresses.size() > 1) {
			throw new IllegalArgumentException("micro.registry.address: " + addresses
					+ " (expected: one Consul agent address)");
		}
		MicroRegistryProperties.Consul consul = properties.getConsul();
		ConsulRegistry.Builder builder = ConsulRegistry.builder(addresses.isEmpty() ? null : addresses.get(0))
			.token(consul.getToken())
			.timeout(consul.getTimeout())
			.wait(consul.getWait())
			.heartbeat(consul.getHeartbeat())
			.recoveryGrace(consul.getRecoveryGrace());
		if (consul.getTls().isEnabled()) {
			builder.tls(true);
		}
		if (consul.getTls().getCaFile() != null) {
			builder.trustCertificates(Path.of(consul.getTls().getCaFile()));
		}
		customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
		return builder.build();
	}

}
