package io.micro4j.spring.boot.autoconfigure.registry;

import java.nio.file.Path;

import io.micro4j.registry.Registry;
import io.micro4j.registry.etcd.EtcdRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The etcd registry, when {@code micro.registry.type=etcd} and {@code micro-registry-etcd} is on the classpath: on
 * {@code micro.registry.address} (default {@value EtcdRegistry#DEFAULT_ENDPOINT}) with the
 * {@code micro.registry.etcd.*} settings, then the {@link EtcdRegistryBuilderCustomizer} beans.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(EtcdRegistry.class)
@ConditionalOnProperty(name = "micro.registry.type", havingValue = "etcd")
class EtcdRegistryConfiguration {

	@Bean
	@ConditionalOnMissingBean(Registry.class)
	EtcdRegistry microRegistry(MicroRegistryProperties properties,
			ObjectProvider<EtcdRegistryBuilderCustomizer> customizers) {
		MicroRegistryProperties.Etcd etcd = properties.getEtcd();
		EtcdRegistry.Builder builder = EtcdRegistry.builder(properties.getAddress())
			.timeout(etcd.getTimeout())
			.username(etcd.getUsername())
			.password(etcd.getPassword())
			.prefix(etcd.getPrefix());
		MicroRegistryProperties.Tls tls = etcd.getTls();
		if (tls.getCaFile() != null) {
			builder.trustCertificates(Path.of(tls.getCaFile()));
		}
		if (tls.getCertFile() != null || tls.getKeyFile() != null) {
			if (tls.getCertFile() == null || tls.getKeyFile() == null) {
				throw new IllegalArgumentException("micro.registry.etcd.tls.cert-file and key-file: only one is set "
						+ "(expected: both or none)");
			}
			builder.clientCertificate(Path.of(tls.getCertFile()), Path.of(tls.getKeyFile()));
		}
		customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
		return builder.build();
	}

}
