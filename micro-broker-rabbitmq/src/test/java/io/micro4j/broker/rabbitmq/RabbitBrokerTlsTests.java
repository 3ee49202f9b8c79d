package io.micro4j.broker.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.Level;
import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerException;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.metadata.Metadata;
import io.micro4j.test.broker.BrokerContractTests;
import io.micro4j.test.logging.LogCapture;
import io.micro4j.test.rabbitmq.RabbitMqServer;
import io.micro4j.test.tls.ClientTls;
import io.micro4j.test.tls.TestCertificates;
import io.micro4j.transport.TlsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The RabbitMQ broker against a real node with a TLS listener that requires client certificates
 * ({@code ssl_options.verify = verify_peer}, {@code fail_if_no_peer_cert = true}).
 */
class RabbitBrokerTlsTests {

	private static final TestCertificates certificates = TestCertificates.shared();

	@RegisterExtension
	static final RabbitMqServer rabbit = RabbitMqServer.withTls(certificates.server(), certificates.ca(), true);

	private static final Duration WAIT = Duration.ofSeconds(15);

	@RegisterExtension
	final LogCapture logs = new LogCapture("ROOT", Level.DEBUG);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private RabbitBroker broker(RabbitBroker.Builder builder) {
		RabbitBroker broker = builder.connectTimeout(Duration.ofSeconds(5)).build();
		this.resources.add(broker);
		return broker;
	}

	/** Trusts the CA, presents the client certificate. */
	static TlsOptions mutual() {
		return ClientTls.presenting(certificates, certificates.client());
	}

	private static TlsOptions trustOnly() {
		return ClientTls.trusting(certificates);
	}

	private static Message message(int i) {
		return new Message(Metadata.of("Micro-Id", "m-" + i), ("event " + i).getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void whenBothSidesPresentCertificatesThenEveryPublishedMessageArrivesOverTls() {
		RabbitBroker subscriber = broker(RabbitBroker.builder(rabbit.amqpsUri()).tls(RabbitBrokerTlsTests::mutual));
		RabbitBroker publisher = broker(RabbitBroker.builder(rabbit.amqpsUri()).tls(RabbitBrokerTlsTests::mutual));
		Set<String> received = ConcurrentHashMap.newKeySet();
		subscriber.subscribe("tls.events", (event) -> received.add(event.message().headers().getOrNull("Micro-Id")),
				SubscribeOptions.defaults());

		for (int i = 0; i < 200; i++) {
			publisher.publish("tls.events", message(i));
		}

		await().atMost(WAIT).until(() -> received.size() == 200);
		assertThat(received).contains("m-0", "m-199");
		assertThat(publisher.address()).isEqualTo("amqps://127.0.0.1:" + rabbit.tlsPort());
		assertThat(rabbit.ctl("list_connections", "ssl", "peer_cert_subject")).contains("true\tCN=client");
	}

	@Test
	void whenTheClientTrustsAnotherCaThenPublishingFailsSayingSoInBoundedTime() {
		TlsOptions options = ClientTls.trustingTheUnknownCa(certificates);
		RabbitBroker broker = broker(RabbitBroker.builder(rabbit.amqpsUri()).tls(() -> options));
		long start = System.nanoTime();

		assertThatThrownBy(() -> broker.publish("events", message(1))).isInstanceOf(BrokerException.class)
			.hasMessageContaining("cannot connect to RabbitMQ at amqps://127.0.0.1:" + rabbit.tlsPort()
					+ ": TLS handshake failed: the server's certificate is not issued by a CA this client trusts");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void whenTheClientHasNoCertificateThenTheNodeRefusesIt() {
		RabbitBroker broker = broker(RabbitBroker.builder(rabbit.amqpsUri()).tls(RabbitBrokerTlsTests::trustOnly));

		assertThatThrownBy(() -> broker.publish("events", message(1))).isInstanceOf(BrokerException.class)
			.hasMessageContaining("cannot connect to RabbitMQ at amqps://127.0.0.1:" + rabbit.tlsPort() + ": ")
			.hasMessageContaining("TLS")
			// the alert (TLS 1.3: after the client's handshake) or just the connection closing, whichever comes first
			.hasMessageContaining("a client certificate")
			.hasMessageContaining("and this client has none");
	}

	@Test
	void whenAmqpsIsUsedWithoutOptionsThenTheJdkCasAreTrustedNotEveryCertificate() {
		RabbitBroker broker = broker(RabbitBroker.builder(rabbit.amqpsUri()));

		assertThatThrownBy(() -> broker.publish("events", message(1))).isInstanceOf(BrokerException.class)
			.hasMessageContaining("the server's certificate is not issued by a CA this client trusts");
	}

	@Test
	void whenTheOptionsChangeThenTheNextConnectionUsesTheNewCertificates() {
		AtomicReference<TlsOptions> current = new AtomicReference<>(trustOnly());
		RabbitBroker broker = broker(RabbitBroker.builder(rabbit.amqpsUri()).tls(current::get));
		assertThatThrownBy(() -> broker.publish("events", message(1)))
			.hasMessageContaining("and this client has none");

		current.set(mutual());
		Set<String> received = ConcurrentHashMap.newKeySet();
		broker.subscribe("reload.events", (event) -> received.add(event.message().headers().getOrNull("Micro-Id")),
				SubscribeOptions.defaults());
		broker.publish("reload.events", message(2));
		await().atMost(WAIT).until(() -> received.contains("m-2"));
	}

	@Test
	void whenThePasswordIsWrongThenNeitherLogsNorMessagesShowIt() {
		String uri = "amqps://guest:s3cret-pass@127.0.0.1:" + rabbit.tlsPort();
		RabbitBroker broker = broker(RabbitBroker.builder(uri).tls(RabbitBrokerTlsTests::mutual));

		assertThatThrownBy(() -> broker.publish("events", message(1))).isInstanceOf(BrokerException.class)
			.hasMessageContaining("cannot connect to RabbitMQ at amqps://127.0.0.1:" + rabbit.tlsPort())
			.hasMessageNotContaining("s3cret")
			.satisfies((failure) -> {
				for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
					assertThat(String.valueOf(cause.getMessage())).doesNotContain("s3cret");
				}
			});
		assertThat(broker.toString()).doesNotContain("s3cret");
		assertThat(this.logs.everything()).doesNotContain("s3cret");
	}

	/** The shared broker contract, over mutual TLS. */
	@Nested
	class OverMutualTls extends BrokerContractTests {

		@Override
		protected Broker createBroker() {
			return RabbitBroker.builder(rabbit.amqpsUri()).tls(RabbitBrokerTlsTests::mutual).build();
		}

	}

}
