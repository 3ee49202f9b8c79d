package io.micro4j.spring.boot.autoconfigure.broker;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import io.micro4j.broker.Broker;
import io.micro4j.broker.nats.NatsBroker;
import io.micro4j.internal.Redaction;
import io.micro4j.spring.boot.autoconfigure.ssl.SslBundleTls;
import io.micro4j.transport.TlsOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import static io.micro4j.spring.boot.autoconfigure.broker.BuilderProperties.apply;

/**
 * The NATS broker ({@code micro-broker-nats} on the classpath), connected to {@code micro.broker.address} (else
 * go-micro's {@code nats://127.0.0.1:4222}) with {@code micro.broker.nats.*}; with TLS from the SSL bundle
 * {@code micro.broker.nats.ssl.bundle}, followed when Boot reloads it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(NatsBroker.class)
@ConditionalOnProperty(name = "micro.broker.type", havingValue = "nats")
class NatsBrokerConfiguration {

	private static final String PREFIX = "micro.broker.nats.";

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	NatsBroker microBroker(MicroBrokerProperties properties, Environment environment,
			ObjectProvider<SslBundles> sslBundles) {
		MicroBrokerProperties.Nats nats = properties.getNats();
		NatsBroker.Builder builder = NatsBroker.builder();
		List<String> servers = properties.getAddress().stream().filter(StringUtils::hasText).toList();
		if (!servers.isEmpty()) {
			apply("micro.broker.address", servers, builder::servers);
		}
		String name = StringUtils.hasText(nats.getConnectionName()) ? nats.getConnectionName()
				: environment.getProperty("spring.application.name");
		builder.connectionName(name);
		apply(PREFIX + "connection-timeout", nats.getConnectionTimeout(), builder::connectionTimeout);
		apply(PREFIX + "reconnect-wait", nats.getReconnectWait(), builder::reconnectWait);
		apply(PREFIX + "max-reconnects", nats.getMaxReconnects(), builder::maxReconnects);
		apply(PREFIX + "drain-timeout", nats.getDrainTimeout(), builder::drainTimeout);
		builder.tls(tls(nats.getSsl(), servers, sslBundles));
		return builder.build();
	}

	/**
	 * The bundle's TLS options; without a bundle, none (jnats' own handling of tls:// URLs, with the JDK's CAs and
	 * hostname verification), or the JDK's CAs without hostname verification when that is turned off.
	 */
	private static @Nullable Supplier<TlsOptions> tls(BrokerSslProperties ssl, List<String> servers,
			ObjectProvider<SslBundles> sslBundles) {
		Supplier<TlsOptions> tls = SslBundleTls.client(PREFIX + "ssl.bundle", ssl.getBundle(), ssl.isVerifyHostname(),
				sslBundles, "NATS broker");
		boolean open = servers.stream().anyMatch((server) -> server.toLowerCase(Locale.ROOT).startsWith("opentls:"));
		if (tls != null && open) {
			throw new InvalidConfigurationPropertyValueException("micro.broker.address",
					servers.stream().map(Redaction::uri).toList(), "an opentls:// address trusts every certificate, "
							+ "which " + PREFIX + "ssl.bundle contradicts; use nats:// or tls:// addresses");
		}
		boolean secure = servers.stream().anyMatch((server) -> server.toLowerCase(Locale.ROOT).startsWith("tls:"));
		if (tls == null && secure && !ssl.isVerifyHostname()) {
			TlsOptions unverified = TlsOptions.builder().verifyHostname(false).build();
			return () -> unverified;
		}
		return tls;
	}

}
