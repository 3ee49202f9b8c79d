package io.micro4j.broker.rabbitmq;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import io.micro4j.broker.BrokerException;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.metadata.Metadata;
import io.micro4j.transport.TlsOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RabbitBrokerBuilderTests {

	@Test
	void whenPrefetchIsNotPositiveThenTheBuilderSaysWhatIsExpected() {
		assertThatThrownBy(() -> RabbitBroker.builder().prefetch(0)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("prefetch: 0 (expected: > 0 and <= 65535)");
	}

	@Test
	void whenMaxRedeliveriesIsNegativeThenTheBuilderSaysWhatIsExpected() {
		assertThatThrownBy(() -> RabbitBroker.builder().maxRedeliveries(-1))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("maxRedeliveries: -1 (expected: >= 0)");
	}

	@Test
	void whenATimeoutIsZeroThenTheBuilderSaysWhatIsExpected() {
		assertThatThrownBy(() -> RabbitBroker.builder().confirmTimeout(Duration.ZERO))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("confirmTimeout: PT0S (expected: > 0)");
		assertThatThrownBy(() -> RabbitBroker.builder().operationTimeout(Duration.ofSeconds(-1)))
			.hasMessage("operationTimeout: PT-1S (expected: > 0)");
	}

	@Test
	void whenTheExchangeIsBlankThenTheBuilderRefusesIt() {
		assertThatThrownBy(() -> RabbitBroker.builder().exchange(" ")).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("exchange: \" \" (expected: not blank)");
	}

	@Test
	void whenTheAddressIsNotAmqpThenBuildingFailsNamingIt() {
		assertThatThrownBy(() -> RabbitBroker.builder("http://127.0.0.1:5672").build())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("address: http://127.0.0.1:5672 (expected: amqp://host:port or amqps://host:port)");
		assertThatThrownBy(() -> RabbitBroker.builder(List.of()).build()).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("addresses: []");
	}

	@Test
	void whenAddressesAreGivenThenTheBrokerShowsThemWithoutCredentials() {
		try (RabbitBroker broker = RabbitBroker.builder(List.of("amqp://user:secret@10.0.0.1:5673/vhost", "10.0.0.2"))
			.build()) {
			assertThat(broker.address()).isEqualTo("amqp://10.0.0.1:5673,amqp://10.0.0.2:5672");
			assertThat(broker.name()).isEqualTo("rabbitmq");
		}
		try (RabbitBroker broker = RabbitBroker.builder(List.of("amqps://user:secret@10.0.0.3", "amqps://10.0.0.4:5700"))
			.build()) {
			assertThat(broker.address()).isEqualTo("amqps://10.0.0.3:5671,amqps://10.0.0.4:5700");
		}
	}

	@Test
	void whenAddressesMixPlaintextAndTlsThenBuildingFailsWithoutTheirCredentials() {
		assertThatThrownBy(() -> RabbitBroker.builder(List.of("amqp://user:secret@10.0.0.1", "amqps://10.0.0.3"))
			.build()).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("expected: all amqp:// or all amqps://")
			.hasMessageContaining("amqp://***@10.0.0.1")
			.hasMessageNotContaining("secret");
	}

	@Test
	void whenTlsOptionsAreGivenForPlaintextAddressesThenBuildingFails() {
		assertThatThrownBy(() -> RabbitBroker.builder("amqp://127.0.0.1:5672").tls(TlsOptions::defaults).build())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("addresses: [amqp://127.0.0.1:5672] (expected: amqps:// addresses with TLS options; amqp:// "
					+ "is plaintext)");
	}

	@Test
	void whenAnAddressIsInvalidThenTheMessageHidesItsPassword() {
		assertThatThrownBy(() -> RabbitBroker.builder("http://user:s3cret@127.0.0.1:5672").build())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("address: http://***@127.0.0.1:5672 (expected: amqp://host:port or amqps://host:port)");
		assertThatThrownBy(() -> RabbitBroker.builder("amqp://user:s3cret@127.0.0.1:5672/a b").build())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageStartingWith("address: amqp://***@127.0.0.1:5672/a b (expected")
			.hasNoCause()
			.hasMessageNotContaining("s3cret");
	}

	@Test
	void whenTheDefaultsAreUsedThenTheBrokerConnectsToGoMicrosDefaultAddress() {
		try (RabbitBroker broker = RabbitBroker.builder().build()) {
			assertThat(broker.address()).isEqualTo("amqp://127.0.0.1:5672");
		}
	}

	@Test
	void whenNothingListensThenPublishingAndSubscribingFailFastWithTheAddress() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		try (RabbitBroker broker = RabbitBroker.builder("amqp://127.0.0.1:" + port)
			.connectTimeout(Duration.ofSeconds(2))
			.build()) {
			long start = System.nanoTime();
			assertThatThrownBy(() -> broker.publish("events", new Message(Metadata.empty(), new byte[0])))
				.isInstanceOf(BrokerException.class)
				.hasMessageContaining("cannot connect to RabbitMQ at amqp://127.0.0.1:" + port);
			assertThatThrownBy(() -> broker.subscribe("events", event -> {
			}, SubscribeOptions.defaults())).isInstanceOf(BrokerException.class)
				.hasMessageContaining("127.0.0.1:" + port);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}
	}

	@Test
	void whenTheBrokerNeverConnectedThenClosingTwiceDoesNothing() {
		RabbitBroker broker = RabbitBroker.builder().build();

		assertThatCode(() -> {
			broker.close();
			broker.close();
		}).doesNotThrowAnyException();
	}

}
