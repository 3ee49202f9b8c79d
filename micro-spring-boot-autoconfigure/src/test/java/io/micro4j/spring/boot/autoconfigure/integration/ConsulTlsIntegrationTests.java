package io.micro4j.spring.boot.autoconfigure.integration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.consul.ConsulRegistry;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.GreeterClient;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.HelloRequest;
import io.micro4j.test.consul.ConsulServer;
import io.micro4j.test.tls.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import static io.micro4j.spring.boot.autoconfigure.integration.SecureRegistryApps.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Applications reach a real Consul agent on its HTTPS port, which requires client certificates from its CA
 * ({@code verify_incoming_https}), configured only with a Spring Boot SSL bundle and
 * {@code micro.registry.consul.ssl.bundle}.
 */
class ConsulTlsIntegrationTests {

	private static final String TOKEN = "consul-Token-6620";

	private static final TestCertificates certificates = TestCertificates.shared();

	@RegisterExtension
	static final ConsulServer consul = new ConsulServer(certificates);

	private final SecureRegistryApps apps = new SecureRegistryApps();

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	private static String[] consulOver(Path trust, Path certificate, Path privateKey, String... more) {
		List<String> properties = new ArrayList<>(List.of("micro.registry.type=consul",
				"micro.registry.address=" + consul.httpsAddress(), "micro.registry.consul.timeout=2s",
				"micro.registry.consul.token=" + TOKEN, "micro.registry.consul.ssl.bundle=consul",
				"spring.ssl.bundle.pem.consul.truststore.certificate=" + file(trust),
				"spring.ssl.bundle.pem.consul.keystore.certificate=" + file(certificate),
				"spring.ssl.bundle.pem.consul.keystore.private-key=" + file(privateKey)));
		properties.addAll(List.of(more));
		return properties.toArray(String[]::new);
	}

	private static String[] goodBundle() {
		return consulOver(certificates.ca().certificate(), certificates.client().certificate(),
				certificates.client().privateKey());
	}

	@Test
	void aServiceRegistersOverHttpsWithAClientCertificateAndAnotherApplicationDiscoversAndCallsIt() {
		ConfigurableApplicationContext server = this.apps.greeter("a", goodBundle());
		ConfigurableApplicationContext client = this.apps.client(goodBundle());

		ConsulRegistry registry = (ConsulRegistry) server.getBean(Registry.class);
		assertThat(registry.address()).hasToString("https://" + consul.httpsAddress() + "/");
		GreeterClient greeter = client.getBean(GreeterClient.class);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(greeter.hello(new HelloRequest("John")).msg())
				.isEqualTo("Hello John from a"));
		assertThat(consul.call("GET", "/v1/catalog/service/greeter", null))
			.containsPattern("\"ServiceName\":\\s*\"greeter\"");

		String exposed = this.apps.everythingLogged() + SecureRegistryApps.actuatorOutput(server)
				+ SecureRegistryApps.actuatorOutput(client);
		assertThat(exposed).contains("micro-registryHealthIndicator: UP").doesNotContain(TOKEN);
	}

	@Test
	void aBundleThatDoesNotTrustTheAgentsCaFailsWithAClearErrorWithinTheTimeout() {
		ConfigurableApplicationContext client = this.apps.client(consulOver(
				certificates.unknownCaClient().certificate(), certificates.client().certificate(),
				certificates.client().privateKey()));
		Registry registry = client.getBean(Registry.class);

		RegistryException failure = SecureRegistryApps.registryFailure(() -> registry.getService("greeter"));
		assertThat(failure).hasMessageContaining("Consul https://" + consul.httpsAddress())
			.hasMessageContaining("TLS handshake failed")
			.hasMessageContaining("not issued by a CA this client trusts")
			.hasMessageNotContaining(TOKEN);
	}

	@Test
	void aClientCertificateReplacedOnDiskIsUsedForTheNextCallWithoutRestart(@TempDir Path directory) {
		Path certificate = directory.resolve("client.crt");
		Path privateKey = directory.resolve("client.key");
		certificates.unknownCaClient().copyTo(certificate, privateKey);
		ConfigurableApplicationContext client = this.apps.client(consulOver(certificates.ca().certificate(),
				certificate, privateKey, "spring.ssl.bundle.pem.consul.reload-on-update=true",
				"spring.ssl.bundle.watch.file.quiet-period=100ms"));
		Registry registry = client.getBean(Registry.class);
		assertThatThrownBy(() -> registry.getService("greeter")).isInstanceOf(RegistryException.class)
			.hasMessageContaining("TLS handshake failed: the server refused this client's certificate");

		certificates.client().copyTo(certificate, privateKey);
		this.apps.awaitReloaded("consul", registry);
	}

}
