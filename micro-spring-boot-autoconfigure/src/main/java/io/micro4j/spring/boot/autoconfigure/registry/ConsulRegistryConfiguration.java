package io.micro4j.spring.boot.autoconfigure.registry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.micro4j.registry.Registry;
import io.micro4j.registry.consul.ConsulRegistry;
import io.micro4j.transport.TlsOptions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Configuration;

/**
 * The Consul registry, when {@code micro.registry.type=consul} and {@code micro-registry-consul} is on the
 * classpath: on the agent at {@code micro.registry.address} (default {@value ConsulRegistry#DEFAULT_ADDRESS}) with
 * the {@code micro.registry.consul.*} settings (HTTPS with the SSL bundle {@code micro.registry.consul.ssl.bundle}, or
 * the deprecated {@code micro.registry.consul.tls.*}), then the {@link ConsulRegistryBuilderCustomizer} beans.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ConsulRegistry.class)
@ConditionalOnProperty(name = "micro.registry.type", havingValue = "consul")
class ConsulRegistryConfiguration {

	@Bean
	@ConditionalOnMissingBean(Registry.class)
	@SuppressWarnings("deprecation")
	ConsulRegistry microRegistry(MicroRegistryProperties properties,
			ObjectProvider<ConsulRegistryBuilderCustomizer> customizers, ObjectProvider<SslBundles> sslBundles) {
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
		List<String> deprecated = new ArrayList<>();
		if (consul.getTls().isEnabled()) {
			deprecated.add("micro.registry.consul.tls.enabled");
		}
		if (consul.getTls().getCaFile() != null) {
			deprecated.add("micro.registry.consul.tls.ca-file");
		}
		Supplier<TlsOptions> bundle = RegistryTls.fromBundle("consul", consul.getSsl(), deprecated, sslBundles);
		if (bundle != null) {
			builder.tls(bundle);
		}
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
