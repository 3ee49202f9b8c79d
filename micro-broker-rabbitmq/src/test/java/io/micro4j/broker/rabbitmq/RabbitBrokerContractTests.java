package io.micro4j.broker.rabbitmq;

import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerException;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.test.broker.BrokerContractTests;
import io.micro4j.test.rabbitmq.RabbitMqServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared broker contract against a real RabbitMQ node, with go-micro's defaults and with 10,000 messages. */
class RabbitBrokerContractTests extends BrokerContractTests {

	@RegisterExtension
	static final RabbitMqServer rabbit = new RabbitMqServer();

	@Override
	protected Broker createBroker() {
		return RabbitBroker.builder(rabbit.amqpUri()).build();
	}

	@Test
	void whenTheBrokerIsNamedThenItIsRabbitmqAndItsAddressHasNoCredentials() {
		assertThat(this.broker.name()).isEqualTo("rabbitmq");
		assertThat(this.broker.address()).isEqualTo("amqp://127.0.0.1:" + rabbit.port());
	}

	@Test
	void whenBrokerIsClosedThenPublishingAndSubscribingFail() {
		Broker closed = newBroker();
		closed.close();

		assertThatThrownBy(() -> closed.publish("events", numbered("events", 1))).isInstanceOf(BrokerException.class)
			.hasMessageContaining("closed");
		assertThatThrownBy(() -> closed.subscribe("events", event -> {
		}, SubscribeOptions.defaults())).isInstanceOf(BrokerException.class).hasMessageContaining("closed");
	}

	/** Acceptance 1: the whole contract again with 10,000 messages per volume test. */
	@Nested
	class WithTenThousandMessages extends BrokerContractTests {

		@Override
		protected Broker createBroker() {
			return RabbitBroker.builder(rabbit.amqpUri()).build();
		}

		@Override
		protected int messageCount() {
			return 10_000;
		}

	}

	/** The contract with manual acknowledgement and durable queues: at-least-once settings change no semantics. */
	@Nested
	class WithAckOnSuccessAndDurableQueues extends BrokerContractTests {

		@Override
		protected Broker createBroker() {
			return RabbitBroker.builder(rabbit.amqpUri())
				.ackOnSuccess(true)
				.durableQueue(true)
				.durableExchange(false)
				.maxRedeliveries(0)
				.build();
		}

	}

}
