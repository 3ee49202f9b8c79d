package io.micro4j.spring.boot.autoconfigure.broker;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import io.micro4j.broker.Broker;
import io.micro4j.broker.rabbitmq.RabbitBroker;
import io.micro4j.internal.Redaction;
import io.micro4j.spring.boot.autoconfigure.ssl.SslBundleTls;
import io.micro4j.transport.TlsOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The RabbitMQ broker ({@code micro.broker.type=rabbitmq}, module {@code micro-broker-rabbitmq}) at
 * {@code micro.broker.address} (go-micro's {@code amqp://guest:guest@127.0.0.1:5672} when unset), configured by
 * {@code micro.broker.rabbitmq.*} and then by {@link RabbitBrokerCustomizer} beans. It connects on first use;
 * {@code amqps://} addresses with TLS from the SSL bundle {@code micro.broker.rabbitmq.ssl.bundle} (followed when
 * Boot reloads it), else the JDK's CAs.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(RabbitBroker.class)
@ConditionalOnProperty(name = "micro.broker.type", havingValue = "rabbitmq")
@EnableConfigurationProperties(RabbitBrokerProperties.class)
class RabbitBrokerConfiguration {

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	RabbitBroker microBroker(MicroBrokerProperties broker, RabbitBrokerProperties rabbit,
			ObjectProvider<RabbitBrokerCustomizer> customizers, ObjectProvider<SslBundles> sslBundles) {
		RabbitBroker.Builder builder = broker.getAddress().isEmpty() ? RabbitBroker.builder()
				: RabbitBroker.builder(broker.getAddress());
		builder.exchange(rabbit.getExchange())
			.durableExchange(rabbit.isDurableExchange())
			.durableQueue(rabbit.isDurableQueue())
			.persistent(rabbit.isPersistent())
			.publisherConfirms(rabbit.isPublisherConfirms())
			.confirmTimeout(rabbit.getConfirmTimeout())
			.ackOnSuccess(rabbit.isAckOnSuccess())
			.requeueOnError(rabbit.isRequeueOnError())
			.maxRedeliveries(rabbit.getMaxRedeliveries())
			.deadLetterExchange(rabbit.getDeadLetter())
			.prefetch(rabbit.getPrefetch())
			.connectTimeout(rabbit.getConnectTimeout())
			.operationTimeout(rabbit.getOperationTimeout())
			.recoveryInterval(rabbit.getRecoveryInterval());
		if (rabbit.getUsername() != null) {
			builder.username(rabbit.getUsername());
		}
		if (rabbit.getPassword() != null) {
			builder.password(rabbit.getPassword());
		}
		if (rabbit.getVirtualHost() != null) {
			builder.virtualHost(rabbit.getVirtualHost());
		}
		builder.tls(tls(rabbit.getSsl(), broker.getAddress(), sslBundles));
		customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
		return builder.build();
	}

	/** The bundle's TLS options, which need amqps:// addresses; without a bundle, the JDK's CAs. */
	private static @Nullable Supplier<TlsOptions> tls(BrokerSslProperties ssl, List<String> addresses,
			ObjectProvider<SslBundles> sslBundles) {
		Supplier<TlsOptions> tls = SslBundleTls.client("micro.broker.rabbitmq.ssl.bundle", ssl.getBundle(),
				ssl.isVerifyHostname(), sslBundles, "RabbitMQ broker");
		boolean secure = !addresses.isEmpty() && addresses.stream()
			.allMatch((address) -> address.trim().toLowerCase(Locale.ROOT).startsWith("amqps:"));
		if (tls != null && !secure) {
			throw new InvalidConfigurationPropertyValueException("micro.broker.address",
					addresses.isEmpty() ? RabbitBroker.DEFAULT_ADDRESS.replace("guest:guest@", "")
							: addresses.stream().map(Redaction::uri).toList(),
					"micro.broker.rabbitmq.ssl.bundle is set, so every address must be amqps:// (amqp:// is "
							+ "plaintext)");
		}
		if (tls == null && secure && !ssl.isVerifyHostname()) {
			TlsOptions unverified = TlsOptions.builder().verifyHostname(false).build();
			return () -> unverified;
		}
		return tls;
	}

}
