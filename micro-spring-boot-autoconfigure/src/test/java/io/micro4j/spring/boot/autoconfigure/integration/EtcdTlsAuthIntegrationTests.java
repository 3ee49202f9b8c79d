package io.micro4j.spring.boot.autoconfigure.integration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.server.Server;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.GreeterClient;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.HelloRequest;
import io.micro4j.test.etcd.EtcdServer;
import io.micro4j.test.tls.TestCertificates;
import io.micro4j.test.tls.TestCertificates.Identity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import static io.micro4j.spring.boot.autoconfigure.integration.SecureRegistryApps.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Applications reach a real etcd that speaks TLS only, requires client certificates from its CA
 * ({@code --client-cert-auth}) and has authentication on, configured only with a Spring Boot SSL bundle,
 * {@code micro.registry.etcd.ssl.bundle} and the etcd user's credentials.
 */
class EtcdTlsAuthIntegrationTests {

	private static final String ROOT_PASSWORD = "root-Secret-4417";

	private static final String PASSWORD = "micro-Secret-9083";

	private static final TestCertificates certificates = TestCertificates.shared();

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer(certificates);

	private final SecureRegistryApps apps = new SecureRegistryApps();

	@BeforeAll
	static void enableAuth() {
		etcd.enableAuth(ROOT_PASSWORD);
		etcd.addUser("micro", PASSWORD, "/micro/registry/");
		etcd.addUser("elsewhere", PASSWORD, "/elsewhere/");
	}

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	private static List<String> etcdOver(Identity trust, Identity client, String password, String... more) {
		return etcdAs("micro", trust, client, password, more);
	}

	private static List<String> etcdAs(String user, Identity trust, Identity client, String password,
			String... more) {
		List<String> properties = new ArrayList<>(List.of("micro.registry.type=etcd",
				"micro.registry.address=" + etcd.address(), "micro.registry.etcd.timeout=2s",
				"micro.registry.etcd.username=" + user, "micro.registry.etcd.password=" + password,
				"micro.registry.etcd.ssl.bundle=etcd",
				"spring.ssl.bundle.pem.etcd.truststore.certificate=" + file(trust.certificate()),
				"spring.ssl.bundle.pem.etcd.keystore.certificate=" + file(client.certificate()),
				"spring.ssl.bundle.pem.etcd.keystore.private-key=" + file(client.privateKey())));
		properties.addAll(List.of(more));
		return properties;
	}

	private static String[] goodBundle(String... more) {
		return etcdOver(certificates.ca(), certificates.client(), PASSWORD, more).toArray(String[]::new);
	}

	@Test
	void aServiceRegistersOverMutualTlsWithAPasswordAndAnotherApplicationDiscoversAndCallsIt() {
		ConfigurableApplicationContext server = this.apps.greeter("a", goodBundle());
		ConfigurableApplicationContext client = this.apps.client(goodBundle());

		assertThat(server.getBean(Registry.class)).isInstanceOf(EtcdRegistry.class);
		assertThat(((EtcdRegistry) server.getBean(Registry.class)).endpoints()).isEqualTo(etcd.endpoint())
			.startsWith("https://");
		GreeterClient greeter = client.getBean(GreeterClient.class);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(greeter.hello(new HelloRequest("John")).msg())
				.isEqualTo("Hello John from a"));
		String nodeId = server.getBean(Server.class).service().nodes().get(0).id();
		assertThat(etcd.etcdctl("get", "--prefix", "--keys-only", "/micro/registry/greeter/"))
			.contains("/micro/registry/greeter/" + nodeId);

		String exposed = this.apps.everythingLogged() + SecureRegistryApps.actuatorOutput(server)
				+ SecureRegistryApps.actuatorOutput(client);
		assertThat(exposed).contains("greeter").doesNotContain(PASSWORD);
		assertThat(this.apps.warnings()).noneMatch((line) -> line.contains("deprecated"));
	}

	@Test
	void aBundleThatDoesNotTrustEtcdsCaFailsWithAClearErrorWithinTheTimeout() {
		// the trust store holds a chain of the unknown CA only
		ConfigurableApplicationContext client = this.apps.client(etcdOver(certificates.unknownCaClient(),
				certificates.client(), PASSWORD).toArray(String[]::new));
		Registry registry = client.getBean(Registry.class);

		RegistryException failure = SecureRegistryApps.registryFailure(() -> registry.getService("greeter"));
		assertThat(failure).hasMessageContaining("etcd at " + etcd.endpoint())
			.hasMessageContaining("TLS handshake failed: the server's certificate is not issued by a CA this client "
					+ "trusts");
	}

	@Test
	void aWrongPasswordFailsWithAClearErrorAndIsNeverLogged() {
		String wrong = "wrong-Secret-5521";
		ConfigurableApplicationContext client = this.apps.client(etcdOver(certificates.ca(), certificates.client(),
				wrong).toArray(String[]::new));
		Registry registry = client.getBean(Registry.class);

		RegistryException failure = SecureRegistryApps.registryFailure(() -> registry.getService("greeter"));
		assertThat(failure).hasMessageContaining("etcd at " + etcd.endpoint())
			.hasMessageContaining("authentication failed");
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause).append('\n');
		}
		assertThat(messages.toString() + this.apps.everythingLogged() + SecureRegistryApps.actuatorOutput(client))
			.doesNotContain(wrong)
			.doesNotContain(PASSWORD);
	}

	@Test
	void aUserWithoutPermissionOnTheRegistryPrefixFailsWithAClearError() {
		ConfigurableApplicationContext client = this.apps.client(etcdAs("elsewhere", certificates.ca(),
				certificates.client(), PASSWORD).toArray(String[]::new));
		Registry registry = client.getBean(Registry.class);

		RegistryException failure = SecureRegistryApps.registryFailure(() -> registry.getService("greeter"));
		assertThat(failure).hasMessageContaining("etcd at " + etcd.endpoint() + " failed to read /micro/registry/")
			.hasMessageContaining("permission denied");
	}

	@Test
	void aClientCertificateReplacedOnDiskIsUsedForTheNextConnectionWithoutRestart(@TempDir Path directory) {
		Path certificate = directory.resolve("client.crt");
		Path privateKey = directory.resolve("client.key");
		certificates.unknownCaClient().copyTo(certificate, privateKey);
		ConfigurableApplicationContext client = this.apps.client("micro.registry.type=etcd",
				"micro.registry.address=" + etcd.address(), "micro.registry.etcd.timeout=2s",
				"micro.registry.etcd.username=micro", "micro.registry.etcd.password=" + PASSWORD,
				"micro.registry.etcd.ssl.bundle=etcd",
				"spring.ssl.bundle.pem.etcd.truststore.certificate=" + file(certificates.ca().certificate()),
				"spring.ssl.bundle.pem.etcd.keystore.certificate=" + file(certificate),
				"spring.ssl.bundle.pem.etcd.keystore.private-key=" + file(privateKey),
				"spring.ssl.bundle.pem.etcd.reload-on-update=true", "spring.ssl.bundle.watch.file.quiet-period=100ms");
		Registry registry = client.getBean(Registry.class);
		assertThatThrownBy(() -> registry.getService("greeter")).isInstanceOf(RegistryException.class)
			.hasMessageContaining("etcd at " + etcd.endpoint())
			.hasMessageContaining("TLS handshake failed: the server refused this client's certificate");

		certificates.client().copyTo(certificate, privateKey);
		this.apps.awaitReloaded("etcd", registry);
	}

	@Test
	void theDeprecatedFilePropertiesStillConnectAndLogOneWarningNamingTheBundleProperty() {
		ConfigurableApplicationContext client = this.apps.client("micro.registry.type=etcd",
				"micro.registry.address=" + etcd.address(), "micro.registry.etcd.timeout=2s",
				"micro.registry.etcd.username=micro", "micro.registry.etcd.password=" + PASSWORD,
				"micro.registry.etcd.tls.ca-file=" + certificates.ca().certificate(),
				"micro.registry.etcd.tls.cert-file=" + certificates.client().certificate(),
				"micro.registry.etcd.tls.key-file=" + certificates.client().privateKey());

		assertThat(client.getBean(Registry.class).getService("greeter")).isEmpty();
		assertThat(this.apps.warnings()).filteredOn((line) -> line.contains("deprecated"))
			.containsExactly("micro.registry.etcd.tls.ca-file, micro.registry.etcd.tls.cert-file, "
					+ "micro.registry.etcd.tls.key-file are deprecated and will be removed: name a Spring Boot SSL "
					+ "bundle in micro.registry.etcd.ssl.bundle instead (spring.ssl.bundle.pem.<name>.truststore."
					+ "certificate, keystore.certificate, keystore.private-key)");
	}

}
