package io.micro4j.spring.boot.autoconfigure.broker;

import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micro4j.test.tls.TestCertificates;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code micro.broker.nats.ssl.*} and {@code micro.broker.rabbitmq.ssl.*} bind and which combinations fail at
 * startup (no broker server is contacted: the checks come first). Connections over TLS are tested against real
 * servers in {@code NatsTlsIntegrationTests} and {@code RabbitTlsIntegrationTests}.
 */
class BrokerSslConfigurationTests {

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
		.withPropertyValues("spring.ssl.bundle.pem.brokers.truststore.certificate=file:"
				+ TestCertificates.shared().ca().certificate().toAbsolutePath());

	@Test
	void whenTheSslPropertiesAreSetThenTheyBindForBothBrokers() {
		this.runner
			.withPropertyValues("micro.broker.type=rabbitmq", "micro.broker.address=amqps://127.0.0.1:5671",
					"micro.broker.rabbitmq.ssl.bundle=brokers", "micro.broker.rabbitmq.ssl.verify-hostname=false",
					"micro.broker.nats.ssl.bundle=other")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				BrokerSslProperties rabbit = context.getBean(RabbitBrokerProperties.class).getSsl();
				assertThat(rabbit.getBundle()).isEqualTo("brokers");
				assertThat(rabbit.isVerifyHostname()).isFalse();
				BrokerSslProperties nats = context.getBean(MicroBrokerProperties.class).getNats().getSsl();
				assertThat(nats.getBundle()).isEqualTo("other");
				assertThat(nats.isVerifyHostname()).isTrue();
			});
	}

	@Test
	void whenTheNatsBundleDoesNotExistThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("micro.broker.type=nats", "micro.broker.nats.ssl.bundle=missing")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("micro.broker.nats.ssl.bundle")
				.hasMessageContaining("spring.ssl.bundle.pem.missing"));
	}

	@Test
	void whenTheRabbitBundleDoesNotExistThenStartupFailsNamingTheProperty() {
		this.runner
			.withPropertyValues("micro.broker.type=rabbitmq", "micro.broker.address=amqps://127.0.0.1:5671",
					"micro.broker.rabbitmq.ssl.bundle=missing")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("micro.broker.rabbitmq.ssl.bundle"));
	}

	@Test
	void whenANatsBundleComesWithAnOpenTlsAddressThenStartupFailsAsAContradiction() {
		this.runner
			.withPropertyValues("micro.broker.type=nats", "micro.broker.address=opentls://user:s3cret@127.0.0.1:4222",
					"micro.broker.nats.ssl.bundle=brokers")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("micro.broker.address")
				.hasMessageContaining("opentls://***@127.0.0.1:4222")
				.hasMessageContaining("an opentls:// address trusts every certificate, which "
						+ "micro.broker.nats.ssl.bundle contradicts")
				.hasMessageNotContaining("s3cret"));
	}

	@Test
	void whenARabbitBundleComesWithoutAnAddressThenStartupFailsAskingForAmqps() {
		this.runner.withPropertyValues("micro.broker.type=rabbitmq", "micro.broker.rabbitmq.ssl.bundle=brokers")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("amqp://127.0.0.1:5672")
				.hasMessageContaining("every address must be amqps://"));
	}

}
