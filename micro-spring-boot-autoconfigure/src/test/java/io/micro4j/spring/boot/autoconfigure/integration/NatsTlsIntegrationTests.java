package io.micro4j.spring.boot.autoconfigure.integration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.micro4j.broker.nats.NatsBroker;
import io.micro4j.spring.boot.autoconfigure.integration.MicroPubSubIntegrationTests.ListenerApp;
import io.micro4j.spring.boot.autoconfigure.integration.MicroPubSubIntegrationTests.PublisherApp;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.EventListener;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.GreetingEvent;
import io.micro4j.spring.client.MicroPublisher;
import io.micro4j.test.nats.NatsServer;
import io.micro4j.test.tls.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static io.micro4j.spring.boot.autoconfigure.integration.BrokerApps.bundle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A publisher and a subscriber application exchange messages through a real nats-server that requires TLS and
 * client certificates, configured only by {@code spring.ssl.bundle.pem.*} and {@code micro.broker.nats.ssl.bundle}.
 * Logs are read from the console (Spring Boot re-initialises Logback when an application starts).
 */
@ExtendWith(OutputCaptureExtension.class)
class NatsTlsIntegrationTests {

	private static final TestCertificates certificates = TestCertificates.shared();

	@RegisterExtension
	static final NatsServer nats = NatsServer.withTls(certificates.server(), certificates.ca(), true);

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final BrokerApps apps = new BrokerApps();

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	private static String[] properties(List<String> bundle, String... more) {
		return BrokerApps.properties(List.of("micro.broker.type=nats", "micro.broker.address=" + nats.url(),
				"micro.broker.nats.ssl.bundle=nats", "micro.broker.nats.reconnect-wait=100ms"), bundle, more);
	}

	private static String[] mutual(String... more) {
		return properties(bundle("nats", certificates.ca().certificate(), certificates.client()), more);
	}

	@Test
	void whenBothApplicationsHaveBundlesThenEveryPublishedMessageIsReceivedOverMutualTls(CapturedOutput output) {
		EventListener listener = this.apps.start(ListenerApp.class, mutual("spring.application.name=listener"))
			.getBean(EventListener.class);
		ConfigurableApplicationContext publisherApp = this.apps.start(PublisherApp.class,
				mutual("micro.server.enabled=false"));
		MicroPublisher publisher = publisherApp.getBean(MicroPublisher.class);

		for (int i = 0; i < 100; i++) {
			publisher.publish("greeter.events", new GreetingEvent(Integer.toString(i), "over TLS"));
		}

		await().atMost(WAIT).until(() -> listener.events.size() >= 100);
		Set<GreetingEvent> distinct = new HashSet<>(listener.events);
		assertThat(listener.events).hasSize(100);
		assertThat(distinct).hasSize(100);
		assertThat(publisherApp.getBean(NatsBroker.class).isConnected()).isTrue();
		assertThat(output.getOut()).contains("NATS broker connected to nats://127.0.0.1:" + nats.port() + " with TLS");
	}

	@Test
	void whenTheBundleTrustsAnotherCaThenStartupFailsSayingSoInBoundedTime() {
		long start = System.nanoTime();

		assertThatThrownBy(() -> this.apps.start(PublisherApp.class, properties(
				bundle("nats", certificates.unknownCaClient().certificate(), certificates.client()),
				"micro.server.enabled=false", "micro.broker.nats.max-reconnects=0")))
			.hasStackTraceContaining("cannot connect to NATS at nats://127.0.0.1:" + nats.port()
					+ ": TLS handshake failed: the server's certificate is not issued by a CA this client trusts");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
	}

	@Test
	void whenTheBundleHasNoCertificateThenTheServerRefusesTheClient() {
		assertThatThrownBy(() -> this.apps.start(PublisherApp.class,
				properties(bundle("nats", certificates.ca().certificate()), "micro.server.enabled=false")))
			.hasStackTraceContaining("cannot connect to NATS at nats://127.0.0.1:" + nats.port() + ": TLS handshake ")
			// TLS 1.3: the refusal comes after the client's handshake, as an alert or as a handshake that never ends
			.hasStackTraceContaining("a client certificate")
			.hasStackTraceContaining("this client has none");
	}

	@Test
	void whenTheServerCertificateNamesAnotherHostThenStartupFailsUnlessHostnameVerificationIsOff() {
		try (NatsServer wrongHost = NatsServer.withTls(certificates.wrongHostServer(), certificates.ca(), false)) {
			wrongHost.start();
			String address = "micro.broker.address=" + wrongHost.url();
			assertThatThrownBy(() -> this.apps.start(PublisherApp.class, properties(
					bundle("nats", certificates.ca().certificate()), "micro.server.enabled=false", address)))
				.hasStackTraceContaining("TLS handshake failed: the server's certificate does not name 127.0.0.1");

			ConfigurableApplicationContext app = this.apps.start(PublisherApp.class,
					properties(bundle("nats", certificates.ca().certificate()), "micro.server.enabled=false", address,
							"micro.broker.nats.ssl.verify-hostname=false"));
			assertThat(app.getBean(NatsBroker.class).isConnected()).isTrue();
			this.apps.close();
		}
	}

	@Test
	void whenTheBundleFilesChangeThenTheNextReconnectUsesTheNewCertificates(@TempDir Path directory,
			CapturedOutput output) throws Exception {
		Path trust = directory.resolve("ca.crt");
		Files.copy(certificates.ca().certificate(), trust);
		ConfigurableApplicationContext app = this.apps.start(ListenerApp.class,
				properties(bundle("nats", trust, certificates.client()), "spring.application.name=listener"));
		NatsBroker broker = app.getBean(NatsBroker.class);
		EventListener listener = app.getBean(EventListener.class);

		replace(certificates.unknownCaClient().certificate(), trust);
		await().atMost(WAIT)
			.until(() -> output.getOut()
				.contains("SSL bundle 'nats' reloaded: new connections of the NATS broker use its certificates"));
		nats.stop();
		nats.start();
		await().atMost(WAIT)
			.until(() -> output.getOut()
				.contains("NATS broker at nats://127.0.0.1:" + nats.port() + " cannot connect: TLS handshake "
						+ "failed: the server's certificate is not issued by a CA this client trusts (unable to find "
						+ "valid certification path to requested target)"));
		assertThat(broker.isConnected()).isFalse();

		replace(certificates.ca().certificate(), trust);
		await().atMost(WAIT).until(broker::isConnected);
		app.getBean(MicroPublisher.class).publish("greeter.events", new GreetingEvent("after", "reload"));
		await().atMost(WAIT).until(() -> listener.events.contains(new GreetingEvent("after", "reload")));
	}

	@Test
	void whenTheAddressCarriesCredentialsThenNeitherLogsNorStartupFailuresShowThem(CapturedOutput output) {
		String address = "micro.broker.address=nats://micro:s3cret-pass@127.0.0.1:" + nats.port();
		ConfigurableApplicationContext app = this.apps.start(PublisherApp.class,
				mutual("micro.server.enabled=false", address));
		assertThat(app.getBean(NatsBroker.class).address()).isEqualTo("nats://***@127.0.0.1:" + nats.port());

		assertThatThrownBy(() -> this.apps.start(PublisherApp.class,
				properties(bundle("nats", certificates.unknownCaClient().certificate(), certificates.client()),
						"micro.server.enabled=false", "micro.broker.nats.max-reconnects=0", address)))
			.satisfies((failure) -> BrokerApps.assertNoMessageContains(failure, "s3cret"))
			.hasStackTraceContaining("cannot connect to NATS at nats://***@127.0.0.1:" + nats.port());
		assertThat(output.getAll()).doesNotContain("s3cret").contains("nats://***@127.0.0.1");
	}

	private static void replace(Path source, Path target) throws Exception {
		Path temporary = target.resolveSibling(target.getFileName() + ".new");
		Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
		Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

}
