package io.micro4j.spring.boot.autoconfigure.registry;

import java.util.List;
import java.util.function.Supplier;

import io.micro4j.spring.boot.autoconfigure.ssl.SslBundleTls;
import io.micro4j.transport.TlsOptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;

/**
 * The TLS of a registry connection ({@code micro.registry.<type>.ssl.bundle}) and the checks of its deprecated
 * file properties: a bundle and file properties together fail startup; file properties alone log one WARN naming the
 * bundle property that replaces them.
 */
final class RegistryTls {

	private static final Logger logger = LoggerFactory.getLogger(RegistryTls.class);

	private RegistryTls() {
	}

	/**
	 * The TLS options of the {@code type} registry's bundle, following its reloads.
	 * @param type {@code etcd} or {@code consul}
	 * @param ssl the bundle settings
	 * @param deprecated the names of the deprecated TLS properties that are set
	 * @return {@code null} when no bundle is named (then the deprecated properties, if any, apply)
	 * @throws InvalidConfigurationPropertyValueException when a bundle is named together with deprecated TLS
	 * properties, or the bundle does not exist
	 */
	static @Nullable Supplier<TlsOptions> fromBundle(String type, MicroRegistryProperties.RegistrySsl ssl,
			List<String> deprecated, ObjectProvider<SslBundles> bundles) {
		String property = "micro.registry." + type + ".ssl.bundle";
		String bundle = ssl.getBundle();
		if (bundle == null || bundle.isBlank()) {
			if (!deprecated.isEmpty()) {
				logger.warn("{} {} deprecated and will be removed: name a Spring Boot SSL bundle in {} instead "
						+ "(spring.ssl.bundle.pem.<name>.truststore.certificate, keystore.certificate, "
						+ "keystore.private-key)", String.join(", ", deprecated),
						(deprecated.size() == 1) ? "is" : "are", property);
			}
			return null;
		}
		if (!deprecated.isEmpty()) {
			throw new InvalidConfigurationPropertyValueException(property, bundle,
					"an SSL bundle and the deprecated " + String.join(", ", deprecated)
							+ " are both set (expected: one of them; the bundle replaces those properties)");
		}
		return SslBundleTls.connection(property, bundle, bundles, type + " registry connection");
	}

}
