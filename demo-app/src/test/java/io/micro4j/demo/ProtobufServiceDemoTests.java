package io.micro4j.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micro4j.client.Client;
import io.micro4j.client.Request;
import io.micro4j.demo.proto.HelloReply;
import io.micro4j.demo.proto.HelloRequest;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.registry.Value;
import io.micro4j.test.etcd.EtcdServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.micro4j.demo.BrokerEventsAssertions.line;
import static io.micro4j.demo.BrokerEventsAssertions.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo's protobuf service: two copies of the demo in one etcd each serve the generated
 * {@code helloworld.Greeter} on Boot's gRPC server, registered as nodes of service {@code helloworld}, and
 * {@code GET /hello-proto} calls it with the generated stub through channel target {@code micro:///helloworld}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProtobufServiceDemoTests {

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	@AfterEach
	void close() {
		this.apps.forEach(ConfigurableApplicationContext::close);
	}

	private ConfigurableApplicationContext demo(String... more) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--micro.server.address=127.0.0.1:0",
				"--micro.registry.type=etcd", "--micro.registry.address=" + etcd.address(),
				"--micro.selector.strategy=round-robin", "--micro.server.deregister-delay=300ms",
				"--spring.main.banner-mode=off"));
		args.addAll(List.of(more));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(GreeterApplication.class)
			.run(args.toArray(String[]::new));
		this.apps.add(context);
		return context;
	}

	private static List<Node> helloworldNodes(Registry registry) {
		return registry.getService("helloworld").stream().flatMap((service) -> service.nodes().stream()).toList();
	}

	private HttpResponse<String> get(ConfigurableApplicationContext app, String pathAndQuery) throws Exception {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode helloProto(ConfigurableApplicationContext app, String name) throws Exception {
		HttpResponse<String> response = get(app, "/hello-proto?name=" + name);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	@Test
	void theProtobufServiceIsAGoMicroGrpcNodeWithTheEndpointAndValueTreesOfItsDescriptorThatTheMicroClientCalls() {
		ConfigurableApplicationContext demo = demo();
		Registry registry = demo.getBean(Registry.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> helloworldNodes(registry).size() == 1);

		Service service = registry.getService("helloworld").get(0);
		Node node = service.nodes().get(0);
		assertThat(node.metadata()).containsEntry("protocol", "grpc")
			.containsEntry("server", "grpc")
			.containsEntry("transport", "grpc")
			.containsEntry("registry", "etcd");
		assertThat(node.address()).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:0");
		assertThat(service.endpoints()).extracting(Endpoint::name).containsExactly("Greeter.SayHello");
		Endpoint sayHello = service.endpoints().get(0);
		assertThat(sayHello.request()).isEqualTo(Value.of("HelloRequest", "HelloRequest",
				List.of(Value.of("name", "string"))));
		assertThat(sayHello.response()).isEqualTo(Value.of("HelloReply", "HelloReply",
				List.of(Value.of("message", "string"), Value.of("server", "string"))));
		assertThat(sayHello.metadata()).doesNotContainKey("stream");
		// the micro server's greeter node stays apart, on its own protocol
		assertThat(registry.getService("greeter")).flatExtracting(Service::nodes)
			.extracting((greeter) -> greeter.metadata().get("protocol"))
			.containsExactly("mucp");

		// the micro client, as go-micro's gRPC client: /helloworld.Greeter/SayHello, application/grpc+proto
		HelloReply reply = demo.getBean(Client.class)
			.call(Request.of("helloworld", "Greeter.SayHello", HelloRequest.newBuilder().setName("Go").build())
				.withContentType("application/protobuf"), HelloReply.class);
		assertThat(reply.getMessage()).isEqualTo("Hello Go");
		assertThat(reply.getServer()).isEqualTo(node.address());
	}

	@Test
	void helloProtoGoesThroughTheMicroChannelToBothCopiesRoundRobinAndToTheSurvivorWhenOneStops(
			CapturedOutput output) throws Exception {
		ConfigurableApplicationContext a = demo();
		ConfigurableApplicationContext b = demo();
		Registry registry = a.getBean(Registry.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> helloworldNodes(registry).size() == 2);
		Set<String> servers = Set.copyOf(helloworldNodes(registry).stream().map(Node::address).toList());

		JsonNode john = helloProto(a, "John");
		assertThat(john.path("message").asString()).isEqualTo("Hello John");
		assertThat(servers).contains(john.path("server").asString());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output.getAll()).contains("SayHello handling name=John"));
		assertThat(traceId(line(output, "SayHello handling name=John")))
			.isEqualTo(traceId(line(output, "GET /hello-proto name=John")));

		// warm up until both copies have answered (the selector probes a new node before it counts in the rotation)
		Set<String> seen = new HashSet<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> seen.add(helloProto(a, "warm").path("server").asString())
				&& seen.size() == 2);
		Map<String, Integer> spread = new HashMap<>();
		for (int i = 0; i < 20; i++) {
			JsonNode reply = helloProto(a, "Jane" + i);
			assertThat(reply.path("message").asString()).isEqualTo("Hello Jane" + i);
			spread.merge(reply.path("server").asString(), 1, Integer::sum);
		}
		assertThat(spread).containsOnlyKeys(servers).containsValues(10, 10);

		// b deregisters, waits 300 ms (a's channel follows the registry's watch), then stops its gRPC server
		b.close();
		List<Node> left = helloworldNodes(registry);
		assertThat(left).hasSize(1);
		String survivor = left.get(0).address();
		assertThat(servers).contains(survivor);
		for (int i = 0; i < 10; i++) {
			assertThat(helloProto(a, "after" + i).path("server").asString()).isEqualTo(survivor);
		}
	}

	@Test
	void whenNoNodeOfHelloworldIsRegisteredThenHelloProtoAnswers503WithTheGoMicroErrorJson() throws Exception {
		ConfigurableApplicationContext demo = demo("--micro.grpc.server.register=false");

		HttpResponse<String> response = get(demo, "/hello-proto?name=John");

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).isEqualTo("{\"id\":\"helloworld.Greeter.SayHello\",\"code\":503,"
				+ "\"detail\":\"no node of service helloworld with protocol=grpc in the etcd registry\","
				+ "\"status\":\"Service Unavailable\"}");
	}

}
