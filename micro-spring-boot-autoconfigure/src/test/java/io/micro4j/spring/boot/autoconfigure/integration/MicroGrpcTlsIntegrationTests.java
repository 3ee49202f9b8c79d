package io.micro4j.spring.boot.autoconfigure.integration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.micro4j.client.Client;
import io.micro4j.client.Request;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.spring.boot.autoconfigure.integration.MicroGrpcChannelIntegrationTests.GreetApp;
import io.micro4j.spring.boot.autoconfigure.integration.MicroGrpcChannelIntegrationTests.Greeting;
import io.micro4j.spring.boot.autoconfigure.integration.SharedGrpcServerIntegrationTests.Order;
import io.micro4j.spring.boot.autoconfigure.integration.SharedGrpcServerIntegrationTests.ShopApp;
import io.micro4j.spring.boot.autoconfigure.integration.SpringGrpcServerRegistrationIntegrationTests.GreeterApp;
import io.micro4j.test.tls.TestCertificates;
import io.micro4j.test.tls.TestCertificates.Identity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * gRPC over TLS configured with Spring Boot SSL bundles: a micro server on the gRPC wire with
 * {@code micro.server.ssl.bundle}, Spring Boot's own gRPC server with {@code spring.grpc.server.ssl.bundle} (alone and
 * carrying the micro handlers), each registering {@code secure=true}; micro clients and {@code micro:///} channels
 * with {@code micro.client.ssl.bundle} call them with TLS and plaintext nodes of the same service in plaintext;
 * certificate files replaced on disk apply without a restart.
 */
class MicroGrpcTlsIntegrationTests {

	private final TestCertificates certificates = TestCertificates.shared();

	private final MicroApps apps = new MicroApps();

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	private static String file(Path path) {
		return "file:" + path.toAbsolutePath();
	}

	/** A server bundle "server" and a client bundle "client", both trusting the test CA. */
	private String[] bundles(String... more) {
		Identity server = this.certificates.server();
		Identity client = this.certificates.client();
		String ca = file(this.certificates.ca().certificate());
		String[] bundles = { "spring.ssl.bundle.pem.server.keystore.certificate=" + file(server.certificate()),
				"spring.ssl.bundle.pem.server.keystore.private-key=" + file(server.privateKey()),
				"spring.ssl.bundle.pem.server.truststore.certificate=" + ca,
				"spring.ssl.bundle.pem.client.keystore.certificate=" + file(client.certificate()),
				"spring.ssl.bundle.pem.client.keystore.private-key=" + file(client.privateKey()),
				"spring.ssl.bundle.pem.client.truststore.certificate=" + ca };
		String[] all = new String[bundles.length + more.length];
		System.arraycopy(bundles, 0, all, 0, bundles.length);
		System.arraycopy(more, 0, all, bundles.length, more.length);
		return all;
	}

	private Node node(String service, String instance) {
		return this.apps.registry()
			.getService(service)
			.stream()
			.flatMap((s) -> s.nodes().stream())
			.filter((n) -> n.metadata().getOrDefault("instance", "").equals(instance))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no node " + instance + " of " + service));
	}

	private int nodes(String service) {
		return this.apps.registry().getService(service).stream().mapToInt((s) -> s.nodes().size()).sum();
	}

	@Test
	void aGrpcMicroServerWithABundleServesMutualTlsNextToAPlaintextGrpcNodeAndTheClientCallsBoth() {
		this.apps.start(GreetApp.class, bundles("spring.application.name=greet", "greet.node=tls",
				"micro.server.protocol=grpc", "micro.server.metadata.instance=tls", "micro.server.ssl.bundle=server",
				"micro.server.ssl.client-auth=need"));
		this.apps.start(GreetApp.class, "spring.application.name=greet", "greet.node=plain",
				"micro.server.protocol=grpc", "micro.server.metadata.instance=plain");
		assertThat(node("greet", "tls").metadata()).containsEntry("secure", "true").containsEntry("protocol", "grpc");
		assertThat(node("greet", "plain").metadata()).doesNotContainKey("secure");
		Client client = this.apps.start(ClientApp.class, bundles("micro.server.enabled=false",
				"micro.selector.strategy=round-robin", "micro.client.ssl.bundle=client"))
			.getBean(Client.class);

		// a node the client has not probed yet gets calls only once the probe found it reachable
		Set<String> seen = ConcurrentHashMap.newKeySet();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> seen.add(client.call(Request.of("greet", "Greet.Hello", new Greeting("Ann")), Greeting.class)
				.name()) && seen.size() == 2);
		Map<String, Integer> answers = new TreeMap<>();
		for (int i = 0; i < 10; i++) {
			answers.merge(client.call(Request.of("greet", "Greet.Hello", new Greeting("Ann")), Greeting.class).name(),
					1, Integer::sum);
		}

		assertThat(answers).isEqualTo(Map.of("plain: Ann", 5, "tls: Ann", 5));
	}

	@Test
	void aClientWithoutACertificateGetsAClearHandshakeErrorFromAnMtlsGrpcNode() {
		this.apps.start(GreetApp.class, bundles("spring.application.name=greet", "greet.node=tls",
				"micro.server.protocol=grpc", "micro.server.ssl.bundle=server", "micro.server.ssl.client-auth=need"));
		Client client = this.apps.start(ClientApp.class,
				"spring.ssl.bundle.pem.trust.truststore.certificate=" + file(this.certificates.ca().certificate()),
				"micro.server.enabled=false", "micro.client.retries=0", "micro.client.ssl.bundle=trust")
			.getBean(Client.class);

		assertThatThrownBy(() -> client.call(Request.of("greet", "Greet.Hello", new Greeting("Ann")), Greeting.class))
			.hasMessageContaining("TLS handshake failed")
			.hasMessageContaining("the server requires a client certificate and this client has none");
	}

	@Test
	void bootGrpcServersWithAndWithoutABundleRegisterAndAMicroChannelCallsEachOnItsOwnTerms() {
		this.apps.start(GreeterApp.class, bundles("spring.application.name=hello", "greeter.node=tls",
				"micro.server.enabled=false", "spring.grpc.server.port=0", "spring.grpc.server.address=127.0.0.1",
				"micro.server.metadata.instance=tls", "spring.grpc.server.ssl.bundle=server",
				"spring.grpc.server.ssl.client-auth=require"));
		this.apps.start(GreeterApp.class, "spring.application.name=hello", "greeter.node=plain",
				"micro.server.enabled=false", "spring.grpc.server.port=0", "spring.grpc.server.address=127.0.0.1",
				"micro.server.metadata.instance=plain");
		await().atMost(Duration.ofSeconds(10)).until(() -> nodes("hello") == 2);
		assertThat(node("hello", "tls").metadata()).containsEntry("secure", "true");
		assertThat(node("hello", "plain").metadata()).doesNotContainKey("secure");
		ConfigurableApplicationContext client = this.apps.start(ClientApp.class,
				bundles("micro.server.enabled=false", "micro.selector.strategy=round-robin",
						"micro.client.ssl.bundle=client", "spring.grpc.client.channel.hello.target=micro:///hello"));
		ManagedChannel channel = client.getBean(GrpcChannelFactory.class).createChannel("hello");

		Map<String, Integer> answers = new TreeMap<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			answers.merge(sayHello(channel), 1, Integer::sum);
			return answers.size() == 2;
		});
		answers.clear();
		for (int i = 0; i < 20; i++) {
			answers.merge(sayHello(channel), 1, Integer::sum);
		}

		assertThat(answers).isEqualTo(Map.of("plain", 10, "tls", 10));
	}

	private static String sayHello(ManagedChannel channel) {
		return ClientCalls.blockingUnaryCall(channel, SpringGrpcServerRegistrationIntegrationTests.SAY_HELLO,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hi");
	}

	@Test
	void theMicroHandlersOnBootsTlsGrpcServerRegisterSecureAndAnswerOverTls() {
		this.apps.start(ShopApp.class, bundles("spring.application.name=shop", "micro.server.protocol=grpc",
				"spring.grpc.server.port=0", "spring.grpc.server.address=127.0.0.1",
				"spring.grpc.server.ssl.bundle=server"));
		assertThat(this.apps.registry().getService("shop")).flatExtracting(Service::nodes)
			.singleElement()
			.satisfies((node) -> assertThat(node.metadata()).containsEntry("secure", "true"));
		Client client = this.apps.start(ClientApp.class, bundles("micro.server.enabled=false",
				"micro.client.ssl.bundle=client"))
			.getBean(Client.class);

		assertThat(client.call(Request.of("shop", "Orders.Place", new Order("book")), Order.class))
			.isEqualTo(new Order("placed book"));
	}

	@Test
	void certificateFilesReplacedOnDiskApplyToNewGrpcConnectionsWithoutRestart(@TempDir Path directory)
			throws Exception {
		Path certificate = directory.resolve("server.crt");
		Path privateKey = directory.resolve("server.key");
		Files.copy(this.certificates.expiredServer().certificate(), certificate);
		Files.copy(this.certificates.expiredServer().privateKey(), privateKey);
		this.apps.start(GreetApp.class, "spring.application.name=greet", "greet.node=tls",
				"micro.server.protocol=grpc", "spring.ssl.bundle.pem.server.keystore.certificate=" + file(certificate),
				"spring.ssl.bundle.pem.server.keystore.private-key=" + file(privateKey),
				"spring.ssl.bundle.pem.server.reload-on-update=true",
				"spring.ssl.bundle.watch.file.quiet-period=100ms", "micro.server.ssl.bundle=server");
		Client client = this.apps.start(ClientApp.class,
				"spring.ssl.bundle.pem.trust.truststore.certificate=" + file(this.certificates.ca().certificate()),
				"micro.server.enabled=false", "micro.client.retries=0", "micro.client.ssl.bundle=trust")
			.getBean(Client.class);
		Request hello = Request.of("greet", "Greet.Hello", new Greeting("Ann"));
		assertThatThrownBy(() -> client.call(hello, Greeting.class))
			.hasMessageContaining("the server's certificate has expired");

		this.certificates.server().copyTo(certificate, privateKey);

		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.until(() -> client.call(hello, Greeting.class).name(), "tls: Ann"::equals);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ClientApp {

	}

}
