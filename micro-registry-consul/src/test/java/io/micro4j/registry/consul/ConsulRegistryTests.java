package io.micro4j.registry.consul;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.micro4j.registry.Node;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.Service;
import io.micro4j.test.consul.ConsulServer;
import io.micro4j.transport.TlsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What Consul holds for a Java node, go-micro's registrations read back, and the registry's own behaviour. */
class ConsulRegistryTests {

	@RegisterExtension
	static final ConsulServer consul = new ConsulServer();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final List<AutoCloseable> opened = new ArrayList<>();

	@AfterEach
	void closeAll() throws Exception {
		for (int i = this.opened.size() - 1; i >= 0; i--) {
			this.opened.get(i).close();
		}
	}

	private ConsulRegistry registry(Duration heartbeat) {
		ConsulRegistry registry = ConsulRegistry.builder(consul.address()).heartbeat(heartbeat).build();
		this.opened.add(registry);
		return registry;
	}

	private static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void whenAJavaNodeIsRegisteredThenTheAgentHoldsDecodableTagsAndAPassingTtlCheck() {
		String name = unique("greeter");
		Node node = new Node(name + "-1", "127.0.0.1:9091", Map.of("protocol", "mucp", "registry", "consul"));
		Service service = new Service(name, "1.2.0", Map.of(), List.of(ConsulTagsTests.HELLO), List.of(node));

		registry(ConsulRegistry.DEFAULT_HEARTBEAT).register(service, Duration.ofSeconds(90));

		JsonNode registered = JSON.readTree(consul.call("GET", "/v1/agent/services", null)).get(node.id());
		assertThat(registered.get("Service").asString()).isEqualTo(name);
		assertThat(registered.get("Address").asString()).isEqualTo("127.0.0.1");
		assertThat(registered.get("Port").asInt()).isEqualTo(9091);
		assertThat(registered.get("Meta").get("registry").asString()).isEqualTo("consul");
		List<String> tags = new ArrayList<>();
		registered.get("Tags").forEach(tag -> tags.add(tag.asString()));
		assertThat(tags).allMatch(tag -> tag.matches("[tev]-[0-9a-f]+"));
		ConsulTags.Decoded decoded = ConsulTags.decode(tags);
		assertThat(decoded.metadata()).isEqualTo(node.metadata());
		assertThat(decoded.endpoints()).containsExactly(ConsulTagsTests.HELLO);
		assertThat(decoded.version()).isEqualTo("1.2.0");
		JsonNode check = JSON.readTree(consul.call("GET", "/v1/agent/checks", null)).get("service:" + node.id());
		assertThat(check.get("Status").asString()).isEqualTo("passing");
		assertThat(check.get("Type").asString()).isEqualTo("ttl");
	}

	@Test
	void whenGoMicroRegistersWithItsOwnTagsThenGetServiceReturnsAddressVersionAndMetadata() {
		String body = "{\"ID\":\"greeter-6b4d3a52-0c1e-4f43-9f6a-2a0d5c1f8e11\",\"Name\":\"greeter\",\"Tags\":"
				+ JSON.writeValueAsString(ConsulTagsTests.GO_TAGS) + ",\"Address\":\"127.0.0.1\",\"Port\":8080,"
				+ "\"Meta\":{\"broker\":\"http\",\"protocol\":\"mucp\",\"registry\":\"consul\",\"server\":\"mucp\","
				+ "\"transport\":\"http\"},\"Check\":{\"TTL\":\"1m30s\",\"DeregisterCriticalServiceAfter\":\"1m35s\"}}";
		consul.call("PUT", "/v1/agent/service/register", body);
		consul.call("PUT", "/v1/agent/check/pass/service:greeter-6b4d3a52-0c1e-4f43-9f6a-2a0d5c1f8e11", null);
		try {
			List<Service> found = registry(ConsulRegistry.DEFAULT_HEARTBEAT).getService("greeter");

			assertThat(found).hasSize(1);
			assertThat(found.get(0).version()).isEqualTo("latest");
			assertThat(found.get(0).endpoints()).containsExactly(ConsulTagsTests.HELLO);
			assertThat(found.get(0).nodes()).containsExactly(new Node("greeter-6b4d3a52-0c1e-4f43-9f6a-2a0d5c1f8e11",
					"127.0.0.1:8080", ConsulTagsTests.GO_METADATA));
		}
		finally {
			consul.call("PUT", "/v1/agent/service/deregister/greeter-6b4d3a52-0c1e-4f43-9f6a-2a0d5c1f8e11", null);
		}
	}

	@Test
	void whenAnEntryHasAMalformedTagThenItIsSkippedAndTheOthersAreRead() {
		String name = unique("greeter");
		consul.call("PUT", "/v1/agent/service/register", "{\"ID\":\"" + name + "-bad\",\"Name\":\"" + name
				+ "\",\"Tags\":[\"t-zz\",\"v-789cca492c492d2e01040000ffff08cc028e\"],\"Address\":\"127.0.0.1\","
				+ "\"Port\":1}");
		consul.call("PUT", "/v1/agent/service/register", "{\"ID\":\"" + name + "-good\",\"Name\":\"" + name
				+ "\",\"Tags\":[\"v-789cca492c492d2e01040000ffff08cc028e\"],\"Port\":2}");

		List<Service> found = registry(ConsulRegistry.DEFAULT_HEARTBEAT).getService(name);

		assertThat(found).singleElement().satisfies(service -> {
			assertThat(service.version()).isEqualTo("latest");
			// no service address: the agent node's address
			assertThat(service.nodes()).containsExactly(new Node(name + "-good", "127.0.0.1:2", Map.of()));
		});
	}

	@Test
	void whenAnEntryHasACriticalCheckThenItIsNotReturned() {
		String name = unique("greeter");
		consul.call("PUT", "/v1/agent/service/register", "{\"ID\":\"" + name + "-1\",\"Name\":\"" + name
				+ "\",\"Tags\":[\"v=latest\"],\"Port\":3,\"Check\":{\"TTL\":\"1m0s\"}}");

		assertThat(registry(ConsulRegistry.DEFAULT_HEARTBEAT).getService(name)).isEmpty();
		consul.call("PUT", "/v1/agent/check/pass/service:" + name + "-1", null);
		assertThat(registry(ConsulRegistry.DEFAULT_HEARTBEAT).getService(name)).singleElement()
			.satisfies(service -> assertThat(service.version()).isEqualTo("latest"));
	}

	@Test
	void whenTheAgentForgetsARegisteredNodeThenTheHeartbeatRegistersItAgain() {
		String name = unique("greeter");
		Service service = Service.of(name, "latest", List.of(new Node(name + "-1", "127.0.0.1:4", Map.of())));
		ConsulRegistry registry = registry(Duration.ofMillis(200));
		registry.register(service, Duration.ofSeconds(30));

		consul.call("PUT", "/v1/agent/service/deregister/" + name + "-1", null);

		List<Service> found = await().atMost(Duration.ofSeconds(3))
			.until(() -> registry.getService(name), versions -> !versions.isEmpty());
		assertThat(found.get(0).nodes()).extracting(Node::id).containsExactly(name + "-1");
	}

	@Test
	void whenATokenIsSetThenItTravelsInTheHeaderAndNeverInTheUrl() throws IOException {
		List<String> tokens = new CopyOnWriteArrayList<>();
		List<String> urls = new CopyOnWriteArrayList<>();
		HttpServer fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		fake.createContext("/", exchange -> {
			tokens.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Consul-Token")));
			urls.add(exchange.getRequestURI().toString());
			byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		fake.start();
		try {
			ConsulRegistry registry = ConsulRegistry.builder("127.0.0.1:" + fake.getAddress().getPort())
				.token("s3cr3t-token")
				.build();
			this.opened.add(registry);

			assertThat(registry.getService("greeter")).isEmpty();
			registry.register(Service.of("greeter", "latest", List.of(Node.of("greeter-1", "127.0.0.1:5"))),
					Duration.ofSeconds(30));

			assertThat(tokens).hasSizeGreaterThanOrEqualTo(3).containsOnly("s3cr3t-token");
			assertThat(urls).noneMatch(url -> url.contains("s3cr3t") || url.contains("token"));
		}
		finally {
			fake.stop(0);
		}
	}

	@Test
	void whenTheAgentIsUnreachableThenCallsFailWithARegistryExceptionNamingIt() {
		ConsulRegistry registry = ConsulRegistry.builder("127.0.0.1:1").timeout(Duration.ofSeconds(1)).build();
		this.opened.add(registry);

		assertThatThrownBy(() -> registry.getService("greeter")).isInstanceOf(RegistryException.class)
			.hasMessageContaining("http://127.0.0.1:1/");
	}

	@Test
	void whenBuilderValuesAreInvalidThenTheyAreRejectedWithTheExpectation() {
		assertThatThrownBy(() -> ConsulRegistry.builder(null).wait(Duration.ZERO))
			.hasMessage("wait: PT0S (expected: > 0)");
		assertThatThrownBy(() -> ConsulRegistry.builder(null).wait(Duration.ofMinutes(11)))
			.hasMessage("wait: PT11M (expected: <= PT10M)");
		assertThatThrownBy(() -> ConsulRegistry.builder(null).timeout(Duration.ofSeconds(-1)))
			.hasMessage("timeout: PT-1S (expected: > 0)");
		assertThatThrownBy(() -> ConsulRegistry.builder("ftp://x:1"))
			.hasMessage("address: ftp://x:1 (expected: host:port or a URL)");
		assertThat(ConsulRegistry.builder(null).build().address()).hasToString("http://127.0.0.1:8500/");
		assertThat(ConsulRegistry.builder("https://10.0.0.1:8501").build().address())
			.hasToString("https://10.0.0.1:8501/");
		assertThat(ConsulRegistry.builder("10.0.0.1:8501").tls(TlsOptions::defaults).build().address())
			.hasToString("https://10.0.0.1:8501/");
		assertThatThrownBy(() -> ConsulRegistry.builder(null)
			.tls(TlsOptions::defaults)
			.trustCertificates(java.nio.file.Path.of("pom.xml"))
			.build()).hasMessageContaining("tls and trustCertificates/sslContext: both are set");
		TlsOptions noHostnameCheck = TlsOptions.builder().verifyHostname(false).build();
		assertThatThrownBy(() -> ConsulRegistry.builder(null).tls(() -> noHostnameCheck).build())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("hostname verification cannot be turned off");
	}

}
