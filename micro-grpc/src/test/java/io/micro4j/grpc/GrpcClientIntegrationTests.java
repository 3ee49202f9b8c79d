package io.micro4j.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micro4j.client.CallOptions;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Node;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.selector.SelectionStrategy;
import io.micro4j.server.DefaultServer;
import io.micro4j.transport.http.HttpTransportClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The micro client over gRPC: one service served by a gRPC node and a mucp node, called through one client that
 * reaches each node on its own protocol; errors, deadline and metadata cross the gRPC wire as over mucp.
 */
class GrpcClientIntegrationTests {

	private final MemoryRegistry registry = new MemoryRegistry();

	private final List<DefaultServer> servers = new ArrayList<>();

	private RegistryCache cache;

	private DefaultSelector selector;

	private HttpTransportClient http;

	private GrpcTransportClient grpc;

	private DefaultClient client;

	public record HelloRequest(String name) {
	}

	public record HelloResponse(String msg) {
	}

	public static class Greeter {

		private final String node;

		public Greeter(String node) {
			this.node = node;
		}

		public HelloResponse hello(HelloRequest request, Metadata metadata) {
			if ("error".equals(request.name())) {
				throw MicroException.badRequest("greeter.hello", "bad name %q", request.name());
			}
			if ("who".equals(request.name())) {
				return new HelloResponse(this.node + " " + metadata.getOrNull("X-Tenant"));
			}
			return new HelloResponse(this.node + ": Hello " + request.name());
		}

		public HelloResponse slow(HelloRequest request) throws InterruptedException {
			Thread.sleep(3000);
			return new HelloResponse("late");
		}

	}

	@BeforeEach
	void start() {
		this.cache = RegistryCache.builder(this.registry).build();
		this.selector = DefaultSelector.builder(this.cache).strategy(SelectionStrategy.roundRobin()).build();
		this.http = HttpTransportClient.builder().build();
		this.grpc = GrpcTransportClient.builder().build();
		this.client = DefaultClient.builder(this.selector, this.http)
			.transport("grpc", this.grpc)
			.registry(this.cache)
			.build();
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.servers.forEach(DefaultServer::stop);
		this.grpc.close();
		this.http.close();
		this.selector.close();
		this.cache.close();
		this.registry.close();
	}

	private DefaultServer serve(String node, boolean grpc) {
		DefaultServer.Builder builder = DefaultServer.builder("greeter")
			.address("127.0.0.1:0")
			.registry(this.registry)
			.deregisterDelay(Duration.ofMillis(300));
		if (grpc) {
			builder.transport(GrpcTransportServer.builder().address("127.0.0.1:0").build());
		}
		DefaultServer server = builder.build();
		server.handle(new Greeter(node));
		server.start();
		this.servers.add(server);
		return server;
	}

	private String hello(String name) {
		return this.client.call(Request.of("greeter", "Greeter.Hello", new HelloRequest(name)), HelloResponse.class)
			.msg();
	}

	@Test
	void oneClientCallsAFleetOfGrpcAndMucpNodesEachOnItsProtocol() {
		serve("grpc-node", true);
		serve("mucp-node", false);

		Map<String, Integer> answers = new TreeMap<>();
		for (int i = 0; i < 20; i++) {
			answers.merge(hello("John"), 1, Integer::sum);
		}

		assertThat(answers).isEqualTo(Map.of("grpc-node: Hello John", 10, "mucp-node: Hello John", 10));
	}

	@Test
	void aHandlerErrorFromAGrpcNodeIsTheSameMicroErrorAsFromAMucpNode() {
		serve("grpc-node", true);

		assertThatExceptionOfType(MicroException.class).isThrownBy(() -> hello("error")).satisfies((ex) -> {
			assertThat(ex.id()).isEqualTo("greeter.hello");
			assertThat(ex.code()).isEqualTo(400);
			assertThat(ex.detail()).isEqualTo("bad name \"error\"");
			assertThat(ex.status()).isEqualTo("Bad Request");
		});
	}

	@Test
	void metadataReachesTheGrpcHandler() {
		serve("grpc-node", true);

		HelloResponse answer = this.client.call(
				Request.of("greeter", "Greeter.Hello", new HelloRequest("who")).withMetadata(Metadata.of("X-Tenant", "acme")),
				HelloResponse.class);

		assertThat(answer.msg()).isEqualTo("grpc-node acme");
	}

	@Test
	void theDeadlineBoundsAGrpcCall() {
		serve("grpc-node", true);
		long start = System.nanoTime();

		assertThatExceptionOfType(MicroException.class)
			.isThrownBy(() -> this.client.call(Request.of("greeter", "Greeter.Slow", new HelloRequest("x")),
					HelloResponse.class, CallOptions.builder().requestTimeout(Duration.ofMillis(300)).build()))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(408));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
	}

	@Test
	void aRefusingGrpcNodeIsPassedOverForALiveOne() {
		serve("grpc-node", true);
		this.registry.register(Service.of("greeter", "latest", List.of(new Node("greeter-dead", "127.0.0.1:1",
				Map.of("protocol", "grpc")))), Duration.ZERO);

		for (int i = 0; i < 10; i++) {
			assertThat(hello("Ann")).isEqualTo("grpc-node: Hello Ann");
		}
	}

	@Test
	void whenAGrpcNodeStopsGracefullyUnderLoadThenNoCallFailsNotEvenANonIdempotentOne() throws Exception {
		serve("grpc-a", true);
		DefaultServer leaving = serve("grpc-b", true);
		hello("warm");
		java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
		java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
		java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
		CallOptions once = CallOptions.builder().idempotent(false).build();
		java.util.concurrent.ExecutorService load = java.util.concurrent.Executors.newFixedThreadPool(4);
		for (int t = 0; t < 4; t++) {
			load.execute(() -> {
				while (running.get()) {
					try {
						this.client.call(Request.of("greeter", "Greeter.Hello", new HelloRequest("x")),
								HelloResponse.class, once);
					}
					catch (RuntimeException ex) {
						failures.add(ex);
					}
					calls.incrementAndGet();
				}
			});
		}
		Thread.sleep(500);
		// deregister, wait 300 ms, drain, close the gRPC server (GOAWAY to its clients)
		leaving.stop();
		Thread.sleep(500);
		running.set(false);
		load.shutdown();
		assertThat(load.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

		assertThat(calls.get()).isGreaterThan(100);
		assertThat(failures).isEmpty();
	}

	@Test
	void idleConnectionsAreClosedByTheClientFirstAndByTheServerIfNotAndCallsGoOn() throws Exception {
		DefaultServer server = DefaultServer.builder("idle")
			.address("127.0.0.1:0")
			.registry(this.registry)
			.transport(GrpcTransportServer.builder().address("127.0.0.1:0").idleTimeout(Duration.ofMillis(600)).build())
			.build();
		server.handle(new Greeter("idle-node"));
		server.start();
		this.servers.add(server);
		String address = this.registry.getService("idle").get(0).nodes().get(0).address();
		try (GrpcTransportClient closesFirst = GrpcTransportClient.builder().idleTimeout(Duration.ofMillis(200)).build();
				GrpcTransportClient neverCloses = GrpcTransportClient.builder().idleTimeout(Duration.ZERO).build()) {
			for (GrpcTransportClient transport : List.of(closesFirst, neverCloses)) {
				assertThat(send(transport, address)).contains("Hello");
				assertThat(transport.openConnections()).isEqualTo(1);
			}

			// the client's own idle timeout, then the server's (GOAWAY) for the client that keeps connections
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> closesFirst.openConnections() == 0);
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> neverCloses.openConnections() == 0);
			assertThat(send(closesFirst, address)).contains("Hello");
			assertThat(send(neverCloses, address)).contains("Hello");
		}
	}

	private static String send(GrpcTransportClient transport, String address) throws Exception {
		io.micro4j.transport.TransportResponse response = transport.send(address,
				new io.micro4j.transport.TransportRequest(Metadata.of("Micro-Service", "idle", "Micro-Endpoint",
						"Greeter.Hello", "Content-Type", "application/json"),
						"{\"name\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
				Duration.ofSeconds(5)).get(10, java.util.concurrent.TimeUnit.SECONDS);
		return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
	}

	@Test
	void endpointsMapToGoMicroGrpcPaths() {
		assertThat(GrpcTransportClient.path("greeter", "Greeter.Hello")).isEqualTo("/greeter.Greeter/Hello");
		assertThat(GrpcTransportClient.path("go.micro.srv.greeter", "Greeter.Hello"))
			.isEqualTo("/go.micro.srv.greeter.Greeter/Hello");
		assertThat(GrpcTransportClient.path("greeter", "/helloworld.Greeter/SayHello"))
			.isEqualTo("/helloworld.Greeter/SayHello");
		assertThat(GrpcTransportClient.grpcTimeout(30_000_000_000L)).isEqualTo("30000000u");
	}

}
