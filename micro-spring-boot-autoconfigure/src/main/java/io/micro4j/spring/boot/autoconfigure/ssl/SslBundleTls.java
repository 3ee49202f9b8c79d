package io.micro4j.spring.boot.autoconfigure.ssl;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micro4j.transport.TlsOptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * Maps Spring Boot SSL bundles to the {@link TlsOptions} of micro-core's transports: the bundle's key store becomes
 * the certificate presented, its trust store the CAs trusted, its options the protocols and cipher suites. The
 * suppliers follow the bundle: when Boot reloads it (certificate files changed, with
 * {@code spring.ssl.bundle.<type>.<name>.reload-on-update=true}), the next new connection uses the new certificates.
 */
public final class SslBundleTls {

	private static final Logger logger = LoggerFactory.getLogger(SslBundleTls.class);

	private SslBundleTls() {
	}

	/**
	 * The TLS options of a server (the mucp port, the http broker's listener) from {@code micro.server.ssl.*}.
	 * @return {@code null} when no bundle is named (plaintext)
	 * @throws InvalidConfigurationPropertyValueException when the bundle does not exist or has no key store
	 */
	public static @Nullable Supplier<TlsOptions> server(ServerSslProperties properties,
			ObjectProvider<SslBundles> bundles, String user) {
		String name = properties.getBundle();
		if (name == null || name.isBlank()) {
			return null;
		}
		return follow(bundles, name, "micro.server.ssl.bundle", user, (bundle) -> {
			if (bundle.getStores().getKeyStore() == null) {
				throw new InvalidConfigurationPropertyValueException("micro.server.ssl.bundle", name,
						"the SSL bundle has no key store: a TLS server needs a certificate and its private key");
			}
			return options(bundle).clientAuth(properties.getClientAuth()).build();
		});
	}

	/**
	 * The TLS options of a client (the mucp client, the http broker's publisher) from {@code micro.client.ssl.*}:
	 * the bundle's, or the JDK's CAs without a client certificate when no bundle is named.
	 * @throws InvalidConfigurationPropertyValueException when the named bundle does not exist
	 */
	public static Supplier<TlsOptions> client(ClientSslProperties properties, ObjectProvider<SslBundles> bundles,
			String user) {
		String name = properties.getBundle();
		if (name == null || name.isBlank()) {
			TlsOptions defaults = TlsOptions.builder().verifyHostname(properties.isVerifyHostname()).build();
			return () -> defaults;
		}
		return follow(bundles, name, "micro.client.ssl.bundle", user,
				(bundle) -> options(bundle).verifyHostname(properties.isVerifyHostname()).build());
	}

	/**
	 * The TLS options of a client of a server outside micro4j (a message broker) from the bundle named by
	 * {@code property}: its trust store holds the server's CAs, its key store, if any, the client certificate.
	 * @param bundle the bundle's name; {@code null} or blank for none
	 * @return {@code null} when no bundle is named
	 * @throws InvalidConfigurationPropertyValueException naming {@code property} when the bundle does not exist
	 */
	public static @Nullable Supplier<TlsOptions> client(String property, @Nullable String bundle,
			boolean verifyHostname, ObjectProvider<SslBundles> bundles, String user) {
		if (bundle == null || bundle.isBlank()) {
			return null;
		}
		return follow(bundles, bundle, property, user,
				(found) -> options(found).verifyHostname(verifyHostname).build());
	}

	/**
	 * The TLS options of a client of infrastructure (the etcd or Consul registry) from the bundle {@code name}, set
	 * in {@code property}: the bundle's trust store (the JDK's CAs when it has none), its key store as the client
	 * certificate (mTLS), hostname verification on.
	 * @throws InvalidConfigurationPropertyValueException when the bundle does not exist
	 */
	public static Supplier<TlsOptions> connection(String property, String name, ObjectProvider<SslBundles> bundles,
			String user) {
		return Objects.requireNonNull(client(property, name, true, bundles, user), property);
	}

	private static Supplier<TlsOptions> follow(ObjectProvider<SslBundles> provider, String name, String property,
			String user, Function<SslBundle, TlsOptions> mapping) {
		SslBundles bundles = provider.getIfAvailable();
		if (bundles == null) {
			throw new InvalidConfigurationPropertyValueException(property, name,
					"no SslBundles bean: Spring Boot's SSL auto-configuration is off");
		}
		SslBundle bundle;
		try {
			bundle = bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationPropertyValueException(property, name,
					"no SSL bundle of that name; define it under spring.ssl.bundle.pem." + name + " or "
							+ "spring.ssl.bundle.jks." + name);
		}
		AtomicReference<TlsOptions> current = new AtomicReference<>(mapping.apply(bundle));
		bundles.addBundleUpdateHandler(name, (updated) -> {
			try {
				current.set(mapping.apply(updated));
				logger.info("SSL bundle '{}' reloaded: new connections of the {} use its certificates", name, user);
			}
			catch (RuntimeException ex) {
				logger.warn("SSL bundle '{}' reloaded but not usable by the {}; keeping the previous certificates: {}",
						name, user, ex.getMessage());
			}
		});
		return current::get;
	}

	private static TlsOptions.Builder options(SslBundle bundle) {
		TlsOptions.Builder builder = TlsOptions.builder();
		if (bundle.getStores().getKeyStore() != null) {
			builder.keyManagerFactory(bundle.getManagers().getKeyManagerFactory());
		}
		if (bundle.getStores().getTrustStore() != null) {
			builder.trustManagerFactory(bundle.getManagers().getTrustManagerFactory());
		}
		SslOptions options = bundle.getOptions();
		builder.protocols(list(options.getEnabledProtocols()));
		builder.ciphers(list(options.getCiphers()));
		return builder;
	}

	private static List<String> list(String @Nullable [] values) {
		return (values != null) ? Arrays.asList(values) : List.of();
	}

}
