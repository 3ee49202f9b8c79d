package io.micro4j.spring.boot.autoconfigure.registry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.micro4j.registry.Registry;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.transport.TlsOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Configuration;

/**
 * The etcd registry, when {@code micro.registry.type=etcd} and {@code micro-registry-etcd} is on the classpath: on
 * {@code micro.registry.address} (default {@value EtcdRegistry#DEFAULT_ENDPOINT}) with the
 * {@code micro.registry.etcd.*} settings (TLS from the SSL bundle {@code micro.registry.etcd.ssl.bundle}, or the
 * deprecated {@code micro.registry.etcd.tls.*} files), then the {@link EtcdRegistryBuilderCustomizer} beans.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(EtcdRegistry.class)
@ConditionalOnProperty(name = "micro.registry.type", havingValue = "etcd")
class EtcdRegistryConfiguration {

	@Bean
	@ConditionalOnMissingBean(Registry.class)
	@SuppressWarnings("deprecation")
	EtcdRegistry microRegistry(MicroRegistryProperties properties,
			ObjectProvider<EtcdRegistryBuilderCustomizer> customizers, ObjectProvider<SslBundles> sslBundles) {
		MicroRegistryProperties.Etcd etcd = properties.getEtcd();
		EtcdRegistry.Builder builder = EtcdRegistry.builder(properties.getAddress())
			.timeout(etcd.getTimeout())
			.username(etcd.getUsername())
			.password(etcd.getPassword())
			.prefix(etcd.getPrefix());
		MicroRegistryProperties.Tls tls = etcd.getTls();
		List<String> deprecated = new ArrayList<>();
		addIfSet(deprecated, "micro.registry.etcd.tls.ca-file", tls.getCaFile());
		addIfSet(deprecated, "micro.registry.etcd.tls.cert-file", tls.getCertFile());
		addIfSet(deprecated, "micro.registry.etcd.tls.key-file", tls.getKeyFile());
		Supplier<TlsOptions> bundle = RegistryTls.fromBundle("etcd", etcd.getSsl(), deprecated, sslBundles);
		if (bundle != null) {
			builder.tls(bundle);
		}
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

	private static void addIfSet(List<String> names, String name, @Nullable String value) {
		if (value != null) {
			names.add(name);
		}
	}

}
