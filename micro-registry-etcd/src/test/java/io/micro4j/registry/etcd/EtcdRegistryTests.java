package io.micro4j.registry.etcd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.Service;
import io.micro4j.registry.etcd.internal.RecordReader;
import io.micro4j.server.DefaultServer;
import io.micro4j.test.etcd.EtcdServer;
import io.micro4j.test.registry.RegistryContractTests;
import io.micro4j.transport.TlsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What etcd and go-micro see of the Java registry: the records with etcdctl, go-micro's records read back, TTL 0,
 * failing fast.
 */
class EtcdRegistryTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	private final Closeables closeables = new Closeables();

	private EtcdRegistry registry;

	@BeforeEach
	void openRegistry() {
		etcd.etcdctl("del", "--prefix", "/micro/registry/greeter/");
		this.registry = track(EtcdRegistry.builder(etcd.address()).timeout(Duration.ofSeconds(2)).build());
	}

	@AfterEach
	void closeAll() throws Exception {
		this.closeables.close();
	}

	private <T extends AutoCloseable> T track(T closeable) {
		return this.closeables.track(closeable);
	}

	@Test
	void whenJavaServerRegistersThenEtcdctlShowsARecordShapedLikeGoMicrosWithItsLease() {
		DefaultServer server = track(DefaultServer.builder("greeter")
			.address("127.0.0.1:0")
			.registry(this.registry)
			.registerTtl(Duration.ofSeconds(60))
			.build());
		server.handle(new Greeter("java"));
		server.start();

		String listing = etcd.etcdctl("get", "--prefix", "/micro/registry/greeter/");
		String[] lines = listing.split("\n");
		assertThat(lines).hasSize(2);
		assertThat(lines[0]).isEqualTo("/micro/registry/greeter/" + server.nodeId());
		JsonNode java = JSON.readTree(lines[1]);
		JsonNode go = JSON.readTree(RegistryContractTests.GO_MICRO_RECORD);
		assertThat(fieldNames(java)).containsExactlyElementsOf(fieldNames(go));
		assertThat(shape(java.get("metadata"))).isEqualTo(shape(go.get("metadata")));
		assertThat(shape(java.get("endpoints").get(0))).isEqualTo(shape(go.get("endpoints").get(0)));
		assertThat(java.get("endpoints").get(0).get("name").asString()).isEqualTo("Greeter.Hello");
		JsonNode javaNode = java.get("nodes").get(0);
		JsonNode goNode = go.get("nodes").get(0);
		assertThat(java.get("nodes")).hasSize(1);
		assertThat(types(javaNode)).isEqualTo(types(goNode));
		assertThat(fieldNames(javaNode.get("metadata"))).containsExactly("broker", "protocol", "registry", "server",
				"transport");
		assertThat(javaNode.get("metadata").get("protocol").asString()).isEqualTo("mucp");
		assertThat(javaNode.get("metadata").get("registry").asString()).isEqualTo("etcd");
		assertThat(javaNode.get("id").asString()).isEqualTo(server.nodeId());

		long lease = keyValue("/micro/registry/greeter/" + server.nodeId()).get("lease").asLong();
		assertThat(lease).isNotZero();
		assertThat(etcd.etcdctl("lease", "timetolive", Long.toHexString(lease))).contains("granted with TTL(60s)");
	}

	@Test
	void whenGoMicroRecordsOfBothFieldOrdersAreInEtcdThenGetServiceMergesThemWithAddressesAndMetadata() {
		putGoMicroRecord(RegistryContractTests.GO_MICRO_RECORD);
		putGoMicroRecord(RegistryContractTests.GO_MICRO_RECORD_OLD_ORDER);

		List<Service> found = this.registry.getService("greeter");

		assertThat(found).singleElement().satisfies(service -> {
			assertThat(service.version()).isEqualTo("latest");
			// the first key (greeter-6b4d..., the old-order record) supplies the endpoints, as in go-micro's merge
			assertThat(service.endpoints()).extracting(endpoint -> endpoint.name()).containsExactly("Greeter.Hello");
			assertThat(service.nodes()).extracting(Node::address)
				.containsExactlyInAnyOrder("127.0.0.1:35632", "127.0.0.1:8080");
			assertThat(service.nodes()).allSatisfy(node -> assertThat(node.metadata())
				.containsEntry("protocol", "mucp")
				.containsEntry("registry", "etcd")
				.containsEntry("transport", "http"));
			assertThat(service.nodes()).filteredOn(node -> node.address().equals("127.0.0.1:35632"))
				.singleElement()
				.satisfies(node -> assertThat(node.metadata()).containsEntry("impl", "go-micro"));
		});
	}

	@Test
	void whenRecordsDoNotParseThenTheyAreSkippedWithOneWarningEach() {
		putGoMicroRecord(RegistryContractTests.GO_MICRO_RECORD);
		etcd.etcdctl("put", "/micro/registry/greeter/garbage-1", "not json at all");
		etcd.etcdctl("put", "/micro/registry/greeter/garbage-2", "{\"version\":\"latest\",\"nodes\":[]}");
		etcd.etcdctl("put", "/micro/registry/greeter/garbage-3", "{\"name\":\"greeter\",\"nodes\":[{\"id\":1}]}");
		ListAppender<ILoggingEvent> warnings = captureWarnings();

		List<Service> first = this.registry.getService("greeter");
		List<Service> second = this.registry.getService("greeter");

		assertThat(first).isEqualTo(second).singleElement().satisfies(service -> assertThat(service.nodes())
			.extracting(Node::address)
			.containsExactly("127.0.0.1:35632"));
		assertThat(warnings.list).filteredOn(event -> event.getLevel() == Level.WARN)
			.hasSize(3)
			.extracting(ILoggingEvent::getFormattedMessage)
			.allSatisfy(message -> assertThat(message).contains("/micro/registry/greeter/garbage-"));
		assertThat(this.registry.listServices()).extracting(Service::name).contains("greeter");
	}

	@Test
	void whenTtlIsZeroThenTheRecordIsWrittenWithoutALease() {
		Service service = new Service("greeter", "latest", Map.of(), List.of(),
				List.of(Node.of("greeter-ttl0", "127.0.0.1:1234")));

		this.registry.register(service, Duration.ZERO);
		this.registry.register(service, Duration.ZERO);

		JsonNode kv = keyValue("/micro/registry/greeter/greeter-ttl0");
		assertThat(kv.has("lease") ? kv.get("lease").asLong() : 0).isZero();
		assertThat(this.registry.getService("greeter")).containsExactly(service);
	}

	@Test
	void whenNodeIdsAndNamesContainSlashesThenTheKeyUsesDashes() {
		Service service = new Service("greeter", "latest", Map.of(), List.of(),
				List.of(Node.of("a/b/c", "127.0.0.1:1234")));

		this.registry.register(service, Duration.ofSeconds(30));

		assertThat(etcd.etcdctl("get", "--keys-only", "/micro/registry/greeter/a-b-c")).contains("a-b-c");
		assertThat(this.registry.getService("greeter").get(0).nodes()).extracting(Node::id).containsExactly("a/b/c");
	}

	@Test
	void whenNothingListensAtTheEndpointThenCallsFailFastNamingIt() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		Registry unreachable = track(EtcdRegistry.builder("127.0.0.1:" + port).timeout(Duration.ofSeconds(3)).build());

		long started = System.nanoTime();
		assertThatThrownBy(() -> unreachable.getService("greeter")).isInstanceOf(RegistryException.class)
			.hasMessageContaining("etcd at http://127.0.0.1:" + port);
		assertThatThrownBy(() -> unreachable.register(new Service("greeter", "latest", Map.of(), List.of(),
				List.of(Node.of("greeter-1", "127.0.0.1:1"))), Duration.ofSeconds(10)))
			.isInstanceOf(RegistryException.class)
			.hasMessageContaining("127.0.0.1:" + port);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
	}

	@Test
	void whenTheEndpointAcceptsButNeverAnswersThenCallsFailAfterTheTimeout() throws IOException {
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			List<Socket> accepted = new ArrayList<>();
			Thread acceptor = new Thread(() -> {
				try {
					while (!silent.isClosed()) {
						accepted.add(silent.accept());
					}
				}
				catch (IOException ex) {
					// closed
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();
			Registry stuck = track(EtcdRegistry.builder("127.0.0.1:" + silent.getLocalPort())
				.timeout(Duration.ofMillis(800))
				.build());

			long started = System.nanoTime();
			assertThatThrownBy(() -> stuck.getService("greeter")).isInstanceOf(RegistryException.class)
				.hasMessageContaining("127.0.0.1:" + silent.getLocalPort());
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(700),
					Duration.ofSeconds(3));
		}
	}

	@Test
	void whenBuilderSettingsAreInvalidThenTheMessageSaysWhatIsExpected() {
		assertThatThrownBy(() -> EtcdRegistry.builder().timeout(Duration.ofSeconds(-1)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("timeout: PT-1S (expected: > 0)");
		assertThatThrownBy(() -> EtcdRegistry.builder("no-port").build()).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("endpoint: no-port (expected: host:port or a URL)");
		assertThatThrownBy(() -> EtcdRegistry.builder().username("root").build())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("only one is set");
		assertThatThrownBy(() -> EtcdRegistry.builder().prefix("micro"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("prefix: micro (expected: starting and ending with /)");
		assertThatThrownBy(() -> EtcdRegistry.builder().trustCertificates(java.nio.file.Path.of("/no/such/ca.pem")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("trustCertificates: /no/such/ca.pem (expected: a readable PEM file)");
		assertThatThrownBy(() -> EtcdRegistry.builder()
			.tls(TlsOptions::defaults)
			.trustCertificates(java.nio.file.Path.of("pom.xml"))
			.build()).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("tls and trustCertificates/clientCertificate: both are set");
		assertThatThrownBy(
				() -> EtcdRegistry.builder().tls(() -> TlsOptions.builder().verifyHostname(false).build()).build())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("hostname verification cannot be turned off");
		try (EtcdRegistry tls = EtcdRegistry.builder("127.0.0.1:1").tls(TlsOptions::defaults).build()) {
			assertThat(tls.endpoints()).isEqualTo("https://127.0.0.1:1");
		}
		assertThatThrownBy(() -> this.registry.register(new Service("greeter", "latest", Map.of(), List.of(),
				List.of(Node.of("greeter-1", "127.0.0.1:1"))), Duration.ofSeconds(-1)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("ttl: PT-1S (expected: >= 0)");
	}

	@Test
	void whenRegistryIsClosedThenCallsFailSayingSo() {
		Registry closed = track(EtcdRegistry.builder(etcd.address()).build());
		closed.close();

		assertThatThrownBy(() -> closed.getService("greeter")).isInstanceOf(RegistryException.class)
			.hasMessageContaining("closed");
		assertThatThrownBy(() -> closed.watch(null, event -> {
		})).isInstanceOf(RegistryException.class).hasMessageContaining("closed");
	}

	private static void putGoMicroRecord(String json) {
		JsonNode node = JSON.readTree(json).get("nodes").get(0);
		etcd.etcdctl("put", "/micro/registry/greeter/" + node.get("id").asString(), json);
	}

	/** The key's entry in {@code etcdctl get -w json}. */
	private static JsonNode keyValue(String key) {
		JsonNode response = JSON.readTree(etcd.etcdctl("get", key, "-w", "json"));
		JsonNode kv = response.get("kvs").get(0);
		assertThat(new String(Base64.getDecoder().decode(kv.get("key").asString()), StandardCharsets.UTF_8))
			.isEqualTo(key);
		return kv;
	}

	private static List<String> fieldNames(JsonNode object) {
		return new ArrayList<>(object.propertyNames());
	}

	/** The object's field names in order, each with the JSON type of its value. */
	private static List<String> types(JsonNode object) {
		List<String> types = new ArrayList<>();
		for (String name : object.propertyNames()) {
			types.add(name + ":" + object.get(name).getNodeType());
		}
		return types;
	}

	/** Field names in order with the JSON type of each value, recursively (first element of arrays). */
	private static String shape(JsonNode node) {
		if (node.isObject()) {
			StringBuilder sb = new StringBuilder("{");
			for (String name : node.propertyNames()) {
				sb.append(name).append(':').append(shape(node.get(name))).append(',');
			}
			return sb.append('}').toString();
		}
		if (node.isArray()) {
			return node.isEmpty() ? "[]" : "[" + shape(node.get(0)) + "]";
		}
		return node.getNodeType().name();
	}

	private ListAppender<ILoggingEvent> captureWarnings() {
		Logger logger = (Logger) LoggerFactory.getLogger(RecordReader.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		track(() -> logger.detachAppender(appender));
		return appender;
	}

}
