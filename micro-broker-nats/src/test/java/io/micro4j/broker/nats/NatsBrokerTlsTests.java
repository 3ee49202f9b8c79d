package io.micro4j.broker.nats;

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
import io.micro4j.test.nats.NatsServer;
import io.micro4j.test.tls.ClientTls;
import io.micro4j.test.tls.TestCertificates;
import io.micro4j.transport.TlsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The NATS broker against a real nats-server that requires TLS and client certificates ({@code verify: true}).
 */
class NatsBrokerTlsTests {

	private static final TestCertificates certificates = TestCertificates.shared();

	@RegisterExtension
	static final NatsServer nats = NatsServer.withTls(certificates.server(), certificates.ca(), true);

	private static final Duration WAIT = Duration.ofSeconds(10);

	@RegisterExtension
	final LogCapture logs = new LogCapture("io.micro4j.broker.nats", Level.DEBUG);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private NatsBroker broker(String url, TlsOptions options) {
		return broker(NatsBroker.builder().servers(url).tls(() -> options));
	}

	private NatsBroker broker(NatsBroker.Builder builder) {
		NatsBroker broker = builder.reconnectWait(Duration.ofMillis(100)).build();
		this.resources.add(broker);
		return broker;
	}

	/** Trusts the CA, presents the client certificate. */
	private static TlsOptions mutual() {
		return ClientTls.presenting(certificates, certificates.client());
	}

	private static Message message(int i) {
		return new Message(Metadata.of("Micro-Id", "m-" + i), ("event " + i).getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void whenBothSidesPresentCertificatesThenEveryPublishedMessageArrivesOverTls() {
		NatsBroker subscriber = broker(nats.url(), mutual());
		NatsBroker publisher = broker(nats.tlsUrl(), mutual());
		Set<String> received = ConcurrentHashMap.newKeySet();
		subscriber.subscribe("tls.events", (event) -> received.add(event.message().headers().getOrNull("Micro-Id")),
				SubscribeOptions.defaults());

		for (int i = 0; i < 200; i++) {
			publisher.publish("tls.events", message(i));
		}

		await().atMost(WAIT).until(() -> received.size() == 200);
		assertThat(received).contains("m-0", "m-199");
		assertThat(this.logs.lines()).contains("INFO NATS broker connected to nats://127.0.0.1:" + nats.port()
				+ " with TLS");
	}

	@Test
	void whenTheClientTrustsAnotherCaThenConnectingFailsSayingSoInBoundedTime() {
		TlsOptions otherCa = ClientTls.trustingTheUnknownCa(certificates);
		long start = System.nanoTime();

		assertThatThrownBy(() -> broker(NatsBroker.builder().servers(nats.url()).tls(() -> otherCa).maxReconnects(0)))
			.isInstanceOf(BrokerException.class)
			.hasMessageContaining("cannot connect to NATS at nats://127.0.0.1:" + nats.port()
					+ ": TLS handshake failed: the server's certificate is not issued by a CA this client trusts");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void whenTheClientHasNoCertificateThenTheServerRefusesIt() {
		TlsOptions trustOnly = ClientTls.trusting(certificates);

		assertThatThrownBy(() -> broker(nats.url(), trustOnly)).isInstanceOf(BrokerException.class)
			.hasMessageContaining("cannot connect to NATS at nats://127.0.0.1:" + nats.port() + ": TLS handshake ")
			// TLS 1.3: the refusal comes after the client's handshake, as an alert or as a handshake that never ends
			.hasMessageContaining("a client certificate")
			.hasMessageContaining("this client has none");
	}

	@Test
	void whenTheServerCertificateNamesAnotherHostThenHostnameVerificationRefusesItUnlessTurnedOff() {
		try (NatsServer wrongHost = NatsServer.withTls(certificates.wrongHostServer(), certificates.ca(), false)) {
			wrongHost.start();
			TlsOptions verified = ClientTls.trusting(certificates);
			assertThatThrownBy(() -> broker(wrongHost.url(), verified)).isInstanceOf(BrokerException.class)
				.hasMessageContaining("TLS handshake failed: the server's certificate does not name 127.0.0.1");

			TlsOptions unverified = TlsOptions.builder()
				.trustManagerFactory(certificates.trustManagerFactory())
				.verifyHostname(false)
				.build();
			NatsBroker broker = broker(wrongHost.url(), unverified);
			assertThat(broker.isConnected()).isTrue();
			broker.close();
		}
	}

	@Test
	void whenTheOptionsChangeThenTheNextReconnectUsesTheNewCertificates() {
		TlsOptions good = mutual();
		TlsOptions otherCa = ClientTls.trustingTheUnknownCa(certificates);
		AtomicReference<TlsOptions> current = new AtomicReference<>(good);
		NatsBroker broker = broker(NatsBroker.builder().servers(nats.url()).tls(current::get));
		assertThat(broker.isConnected()).isTrue();

		current.set(otherCa);
		nats.stop();
		nats.start();
		await().atMost(WAIT)
			.until(() -> this.logs.lines()
				.contains("WARN NATS broker at nats://127.0.0.1:" + nats.port() + " cannot connect: TLS handshake "
						+ "failed: the server's certificate is not issued by a CA this client trusts (unable to find "
						+ "valid certification path to requested target)"));
		assertThat(broker.isConnected()).isFalse();

		current.set(good);
		await().atMost(WAIT).until(broker::isConnected);
		Set<String> received = ConcurrentHashMap.newKeySet();
		broker.subscribe("reload.events", (event) -> received.add(event.message().headers().getOrNull("Micro-Id")),
				SubscribeOptions.defaults());
		broker.publish("reload.events", message(1));
		await().atMost(WAIT).until(() -> received.contains("m-1"));
		assertThat(this.logs.lines()).anyMatch((line) -> line.startsWith("INFO NATS broker at nats://127.0.0.1:"
				+ nats.port() + " reconnected after"));
	}

	@Test
	void whenTheUrlsCarryCredentialsThenNeitherLogsNorMessagesShowThem() {
		String url = "nats://micro:s3cret-pass@127.0.0.1:" + nats.port();
		NatsBroker broker = broker(url, mutual());
		assertThat(broker.address()).isEqualTo("nats://***@127.0.0.1:" + nats.port());
		assertThat(broker.toString()).doesNotContain("s3cret-pass");
		nats.stop();
		nats.start();
		await().atMost(WAIT).until(() -> this.logs.lines().stream().anyMatch((line) -> line.contains("reconnected")));

		assertThatThrownBy(() -> broker(NatsBroker.builder()
			.servers("nats://s3cret-token@127.0.0.1:1", "tls://micro:s3cret-pass@127.0.0.1:2")
			.tls(NatsBrokerTlsTests::mutual)
			.connectionTimeout(Duration.ofMillis(500))
			.maxReconnects(0))).isInstanceOf(BrokerException.class)
			.hasMessageContaining("cannot connect to NATS at nats://***@127.0.0.1:1,tls://***@127.0.0.1:2")
			.hasMessageNotContaining("s3cret")
			.satisfies((failure) -> assertThat(failure.getCause()).isNotNull())
			.satisfies((failure) -> {
				for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
					assertThat(String.valueOf(cause.getMessage())).doesNotContain("s3cret");
				}
			});
		assertThat(this.logs.everything()).doesNotContain("s3cret").contains("***@127.0.0.1");
	}

	@Test
	void whenTlsOptionsComeWithAnOpenTlsUrlThenBuildingFails() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NatsBroker.builder().servers("opentls://127.0.0.1:" + nats.port()).tls(() -> mutual())
				.build())
			.withMessageContaining("an opentls:// URL trusts every certificate");
	}

	/** The shared broker contract, over mutual TLS. */
	@Nested
	class OverMutualTls extends BrokerContractTests {

		@Override
		protected Broker createBroker() {
			return NatsBroker.builder().servers(nats.url()).tls(NatsBrokerTlsTests::mutual).build();
		}

	}

}
