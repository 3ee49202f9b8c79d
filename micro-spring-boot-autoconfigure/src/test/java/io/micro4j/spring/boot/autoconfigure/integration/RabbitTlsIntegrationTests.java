package io.micro4j.spring.boot.autoconfigure.integration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.micro4j.broker.rabbitmq.RabbitBroker;
import io.micro4j.spring.boot.autoconfigure.integration.MicroPubSubIntegrationTests.ListenerApp;
import io.micro4j.spring.boot.autoconfigure.integration.MicroPubSubIntegrationTests.PublisherApp;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.EventListener;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.GreetingEvent;
import io.micro4j.spring.client.MicroPublisher;
import io.micro4j.test.rabbitmq.RabbitMqServer;
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
 * A publisher and a subscriber application exchange messages through a real RabbitMQ node whose TLS listener
 * requires client certificates, configured only by {@code spring.ssl.bundle.pem.*} and
 * {@code micro.broker.rabbitmq.ssl.bundle}. Logs are read from the console (Spring Boot re-initialises Logback when
 * an application starts).
 */
@ExtendWith(OutputCaptureExtension.class)
class RabbitTlsIntegrationTests {

	private static final TestCertificates certificates = TestCertificates.shared();

	@RegisterExtension
	static final RabbitMqServer rabbit = RabbitMqServer.withTls(certificates.server(), certificates.ca(), true);

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final BrokerApps apps = new BrokerApps();

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	private static String[] properties(List<String> bundle, String... more) {
		return BrokerApps.properties(List.of("micro.broker.type=rabbitmq",
				"micro.broker.address=" + rabbit.amqpsUri(), "micro.broker.rabbitmq.ssl.bundle=rabbit",
				"micro.broker.rabbitmq.connect-timeout=5s"), bundle, more);
	}

	private static String[] mutual(String... more) {
		return properties(bundle("rabbit", certificates.ca().certificate(), certificates.client()), more);
	}

	@Test
	void whenBothApplicationsHaveBundlesThenEveryPublishedMessageIsReceivedOverMutualTls() {
		EventListener listener = this.apps.start(ListenerApp.class, mutual("spring.application.name=listener"))
			.getBean(EventListener.class);
		MicroPublisher publisher = this.apps.start(PublisherApp.class, mutual("micro.server.enabled=false"))
			.getBean(MicroPublisher.class);

		for (int i = 0; i < 100; i++) {
			publisher.publish("greeter.events", new GreetingEvent(Integer.toString(i), "over TLS"));
		}

		await().atMost(WAIT).until(() -> listener.events.size() >= 100);
		Set<GreetingEvent> distinct = new HashSet<>(listener.events);
		assertThat(listener.events).hasSize(100);
		assertThat(distinct).hasSize(100);
		assertThat(rabbit.ctl("list_connections", "ssl", "peer_cert_subject"))
			.contains("true\tCN=client")
			.doesNotContain("false");
	}

	@Test
	void whenTheBundleTrustsAnotherCaThenTheSubscriberFailsToStartSayingSoInBoundedTime() {
		long start = System.nanoTime();

		assertThatThrownBy(() -> this.apps.start(ListenerApp.class,
				properties(bundle("rabbit", certificates.unknownCaClient().certificate(), certificates.client()),
						"spring.application.name=listener")))
			.hasStackTraceContaining("cannot connect to RabbitMQ at amqps://127.0.0.1:" + rabbit.tlsPort()
					+ ": TLS handshake failed: the server's certificate is not issued by a CA this client trusts");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
	}

	@Test
	void whenTheBundleHasNoCertificateThenTheNodeRefusesTheClient() {
		assertThatThrownBy(() -> this.apps.start(ListenerApp.class,
				properties(bundle("rabbit", certificates.ca().certificate()), "spring.application.name=listener")))
			.hasStackTraceContaining("cannot connect to RabbitMQ at amqps://127.0.0.1:" + rabbit.tlsPort() + ": ")
			.hasStackTraceContaining("and this client has none");
	}

	@Test
	void whenTheBundleFilesChangeThenTheNextConnectionUsesTheNewCertificates(@TempDir Path directory,
			CapturedOutput output) throws Exception {
		EventListener listener = this.apps.start(ListenerApp.class, mutual("spring.application.name=listener"))
			.getBean(EventListener.class);
		Path certificate = directory.resolve("client.crt");
		Path privateKey = directory.resolve("client.key");
		certificates.unknownCaClient().copyTo(certificate, privateKey);
		List<String> bundle = new ArrayList<>(bundle("rabbit", certificates.ca().certificate()));
		bundle.add("spring.ssl.bundle.pem.rabbit.keystore.certificate=" + BrokerApps.file(certificate));
		bundle.add("spring.ssl.bundle.pem.rabbit.keystore.private-key=" + BrokerApps.file(privateKey));
		MicroPublisher publisher = this.apps
			.start(PublisherApp.class, properties(bundle, "micro.server.enabled=false"))
			.getBean(MicroPublisher.class);
		assertThatThrownBy(() -> publisher.publish("greeter.events", new GreetingEvent("before", "reload")))
			.hasMessageContaining("cannot connect to RabbitMQ at amqps://127.0.0.1:" + rabbit.tlsPort() + ": ")
			.hasMessageContaining("this client's certificate");

		certificates.client().copyTo(certificate, privateKey);
		await().atMost(WAIT)
			.until(() -> output.getOut()
				.contains("SSL bundle 'rabbit' reloaded: new connections of the RabbitMQ broker use its certificates"));
		publisher.publish("greeter.events", new GreetingEvent("after", "reload"));
		await().atMost(WAIT).until(() -> listener.events.contains(new GreetingEvent("after", "reload")));
		assertThat(listener.events).doesNotContain(new GreetingEvent("before", "reload"));
	}

	@Test
	void whenThePasswordIsWrongThenNeitherLogsNorStartupFailuresShowIt(CapturedOutput output) {
		String address = "micro.broker.address=amqps://guest:s3cret-pass@127.0.0.1:" + rabbit.tlsPort();

		assertThatThrownBy(() -> this.apps.start(ListenerApp.class, mutual("spring.application.name=listener",
				address)))
			.hasStackTraceContaining("cannot connect to RabbitMQ at amqps://127.0.0.1:" + rabbit.tlsPort())
			.satisfies((failure) -> BrokerApps.assertNoMessageContains(failure, "s3cret"));
		assertThat(output.getAll()).doesNotContain("s3cret");
	}

	@Test
	void whenABundleIsNamedForAPlaintextAddressThenStartupFailsNamingBothProperties() {
		String address = "micro.broker.address=amqp://guest:s3cret@127.0.0.1:" + rabbit.port();

		assertThatThrownBy(() -> this.apps.start(PublisherApp.class, mutual("micro.server.enabled=false", address)))
			.hasStackTraceContaining("micro.broker.address")
			.hasStackTraceContaining("micro.broker.rabbitmq.ssl.bundle is set, so every address must be amqps://")
			.hasStackTraceContaining("amqp://***@127.0.0.1:" + rabbit.port())
			.satisfies((failure) -> BrokerApps.assertNoMessageContains(failure, "s3cret"));
	}

}
