package io.micro4j.spring.boot.autoconfigure.integration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import io.micro4j.spring.boot.autoconfigure.integration.Greeting.Greeter;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.GreeterClient;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.HelloRequest;
import io.micro4j.test.tls.TestCertificates;
import io.micro4j.test.tls.TestCertificates.Identity;
import io.micro4j.transport.http.HttpTransportServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Applications configured with Spring Boot SSL bundles call each other over mTLS on one registry; certificate files
 * replaced on disk take effect without a restart.
 */
class MicroTlsIntegrationTests {

	private final TestCertificates certificates = TestCertificates.shared();

	private final MicroApps apps = new MicroApps();

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	private static String file(Path path) {
		return "file:" + path.toAbsolutePath();
	}

	private String[] bundles(Identity server, Identity client) {
		return new String[] { "spring.ssl.bundle.pem.server.keystore.certificate=" + file(server.certificate()),
				"spring.ssl.bundle.pem.server.keystore.private-key=" + file(server.privateKey()),
				"spring.ssl.bundle.pem.server.truststore.certificate=" + file(this.certificates.ca().certificate()),
				"spring.ssl.bundle.pem.client.keystore.certificate=" + file(client.certificate()),
				"spring.ssl.bundle.pem.client.keystore.private-key=" + file(client.privateKey()),
				"spring.ssl.bundle.pem.client.truststore.certificate=" + file(this.certificates.ca().certificate()),
				"micro.server.ssl.bundle=server", "micro.server.ssl.client-auth=need",
				"micro.client.ssl.bundle=client", "micro.client.retries=0" };
	}

	private ConfigurableApplicationContext greeter(String instance, String... properties) {
		String[] all = new String[properties.length + 3];
		all[0] = "spring.application.name=greeter";
		all[1] = "greeter.instance=" + instance;
		all[2] = "micro.selector.strategy=round-robin";
		System.arraycopy(properties, 0, all, 3, properties.length);
		return this.apps.start(GreeterApp.class, all);
	}

	private ConfigurableApplicationContext client(String... properties) {
		String[] all = new String[properties.length + 3];
		all[0] = "micro.server.enabled=false";
		all[1] = "micro.client.retries=0";
		all[2] = "greeter.instance=client";
		System.arraycopy(properties, 0, all, 3, properties.length);
		return this.apps.start(GreeterApp.class, all);
	}

	private void awaitNodes(int count) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.apps.registry().getService("greeter").stream().mapToInt((s) -> s.nodes().size()).sum(),
					(n) -> n == count);
	}

	@Test
	void twoApplicationsWithBundlesCallEachOtherOverMutualTlsAndRegisterSecure() {
		ConfigurableApplicationContext a = greeter("a", bundles(this.certificates.server(), this.certificates.client()));
		ConfigurableApplicationContext b = greeter("b", bundles(this.certificates.server(), this.certificates.client()));
		awaitNodes(2);
		assertThat(a.getBean(HttpTransportServer.class).isSecure()).isTrue();
		this.apps.registry()
			.getService("greeter")
			.forEach((service) -> assertThat(service.nodes())
				.allSatisfy((node) -> assertThat(node.metadata()).containsEntry("secure", "true")));
		for (ConfigurableApplicationContext caller : new ConfigurableApplicationContext[] { a, b }) {
			GreeterClient greeter = caller.getBean(GreeterClient.class);
			Set<String> answers = new HashSet<>();
			// a node the caller has not probed yet gets calls once the probe found it reachable
			await().atMost(Duration.ofSeconds(10)).until(() -> answers.add(greeter.hello(new HelloRequest("John")).msg())
					&& answers.size() == 2);
			assertThat(answers).containsExactlyInAnyOrder("Hello John from a", "Hello John from b");
		}
	}

	@Test
	void aClientWithoutCertificateIsRefusedWithAClearErrorAndTheServerKeepsServing() {
		greeter("a", bundles(this.certificates.server(), this.certificates.client()));
		awaitNodes(1);
		ConfigurableApplicationContext noCertificate = client(
				"spring.ssl.bundle.pem.trust.truststore.certificate=" + file(this.certificates.ca().certificate()),
				"micro.client.ssl.bundle=trust");
		assertThatThrownBy(() -> noCertificate.getBean(GreeterClient.class).hello(new HelloRequest("John")))
			.hasMessageContaining("TLS handshake failed")
			.hasMessageContaining("the server requires a client certificate and this client has none");
		ConfigurableApplicationContext withCertificate = client(bundles(this.certificates.server(),
				this.certificates.client()));
		assertThat(withCertificate.getBean(GreeterClient.class).hello(new HelloRequest("John")).msg())
			.isEqualTo("Hello John from a");
	}

	@Test
	void certificateFilesReplacedOnDiskApplyToNewConnectionsWithoutRestart(@TempDir Path directory) throws Exception {
		Path certificate = directory.resolve("server.crt");
		Path privateKey = directory.resolve("server.key");
		Files.copy(this.certificates.expiredServer().certificate(), certificate);
		Files.copy(this.certificates.expiredServer().privateKey(), privateKey);
		greeter("a", "spring.ssl.bundle.pem.server.keystore.certificate=" + file(certificate),
				"spring.ssl.bundle.pem.server.keystore.private-key=" + file(privateKey),
				"spring.ssl.bundle.pem.server.reload-on-update=true",
				"spring.ssl.bundle.watch.file.quiet-period=100ms", "micro.server.ssl.bundle=server");
		awaitNodes(1);
		GreeterClient greeter = client(
				"spring.ssl.bundle.pem.trust.truststore.certificate=" + file(this.certificates.ca().certificate()),
				"micro.client.ssl.bundle=trust")
			.getBean(GreeterClient.class);
		assertThatThrownBy(() -> greeter.hello(new HelloRequest("John")))
			.hasMessageContaining("the server's certificate has expired");

		this.certificates.server().copyTo(certificate, privateKey);
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.until(() -> greeter.hello(new HelloRequest("John")).msg(), "Hello John from a"::equals);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Greeter.class)
	static class GreeterApp {

	}

}
