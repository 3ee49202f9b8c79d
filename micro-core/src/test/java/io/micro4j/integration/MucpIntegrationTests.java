package io.micro4j.integration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.micro4j.broker.memory.MemoryBroker;
import io.micro4j.client.CallOptions;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.errors.MicroException;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.selector.SelectionStrategy;
import io.micro4j.server.DefaultServer;
import io.micro4j.transport.http.HttpTransportClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Client and server over real sockets, discovery through the memory registry.
 */
class MucpIntegrationTests {

	private final MemoryRegistry registry = new MemoryRegistry();

	private final MemoryBroker broker = new MemoryBroker();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void closeAll() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		this.broker.close();
		this.registry.close();
	}

	private DefaultServer server(Greeter greeter, Registry registry) {
		DefaultServer server = DefaultServer.builder("greeter")
			.address("127.0.0.1:0")
			.registry(registry)
			.broker(this.broker)
			.build();
		server.handle(greeter);
		server.start();
		this.closeables.add(server);
		return server;
	}

	private DefaultClient client(SelectionStrategy strategy) {
		RegistryCache cache = RegistryCache.builder(this.registry).build();
		DefaultSelector selector = DefaultSelector.builder(cache).strategy(strategy).build();
		HttpTransportClient transport = HttpTransportClient.builder().build();
		DefaultClient client = DefaultClient.builder(selector, transport).broker(this.broker).build();
		this.closeables.add(cache);
		this.closeables.add(selector);
		this.closeables.add(transport);
		this.closeables.add(client);
		return client;
	}

	private static int port(DefaultServer server) {
		return server.boundAddress().orElseThrow().getPort();
	}

	@Test
	void whenJavaClientCallsJavaServerThenTheReplyArrives() {
		server(new Greeter(), this.registry);
		Greeter.Response reply = client(SelectionStrategy.random())
			.call(Request.of("greeter", "Greeter.Hello", new Greeter.Request("John")), Greeter.Response.class);
		assertThat(reply.msg()).isEqualTo("Hello John");
	}

	@Test
	void whenServerIsStartedThenItsRecordIsGoMicrosShape() {
		DefaultServer server = server(new Greeter(), this.registry);
		List<Service> services = this.registry.getService("greeter");
		assertThat(services).hasSize(1);
		Service service = services.get(0);
		assertThat(service.version()).isEqualTo("latest");
		assertThat(service.nodes()).singleElement().satisfies(node -> {
			assertThat(node.id()).isEqualTo(server.nodeId()).startsWith("greeter-");
			assertThat(node.address()).isEqualTo("127.0.0.1:" + port(server));
			assertThat(node.metadata()).containsEntry("protocol", "mucp")
				.containsEntry("server", "mucp")
				.containsEntry("transport", "http")
				.containsEntry("broker", "memory")
				.containsEntry("registry", "memory");
		});
		assertThat(service.endpoints()).extracting(e -> e.name()).containsExactly("Greeter.Hello");
	}

	@Test
	void whenGoMicroRequestArrivesThenTheAnswerMatchesTheObservedWire() throws Exception {
		DefaultServer server = server(new Greeter(), this.registry);
		try (RawHttp http = new RawHttp(port(server))) {
			RawHttp.Reply reply = http.exchange(RawHttp.goMicroRequest(port(server), "Greeter.Hello",
					"{\"name\":\"John\"}\n".getBytes(StandardCharsets.UTF_8)));
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.body()).isEqualTo("{\"msg\":\"Hello John\"}\n");
			assertThat(reply.header("Content-Length")).isEqualTo("21");
			assertThat(reply.header("Accept")).isEqualTo("application/json");
			assertThat(reply.header("Content-Type")).isEqualTo("application/json");
			assertThat(reply.header("Micro-Endpoint")).isEqualTo("Greeter.Hello");
			assertThat(reply.header("Micro-Method")).isEqualTo("Greeter.Hello");
			assertThat(reply.header("Micro-Id")).isEqualTo("0");
			assertThat(reply.header("Micro-Service")).isEqualTo("greeter");
			assertThat(reply.header("Timeout")).isEqualTo("5000000000");
			assertThat(reply.header("User-Agent")).isEqualTo("Go-http-client/1.1");
			assertThat(reply.header("Micro-Error")).isNull();
		}
	}

	@Test
	void whenHandlerFailsThenTheErrorTravelsInMicroErrorWithAnEmptyBody() throws Exception {
		DefaultServer server = server(new Greeter(), this.registry);
		try (RawHttp http = new RawHttp(port(server))) {
			RawHttp.Reply reply = http.exchange(RawHttp.goMicroRequest(port(server), "Greeter.Hello",
					"{\"name\":\"error\"}\n".getBytes(StandardCharsets.UTF_8)));
			String expected = "{\"id\":\"greeter.hello\",\"code\":400,\"detail\":\"bad name \\\"error\\\"\",\"status\":\"Bad Request\"}";
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.body()).isEmpty();
			assertThat(reply.header("Micro-Error")).isEqualTo(expected);
			assertThat(reply.header("X-Micro-Error")).isEqualTo(expected);
		}
	}

	@Test
	void whenRequestIsBadThenEachGetsItsCodeAndTheConnectionKeepsServing() throws Exception {
		DefaultServer server = server(new Greeter(), this.registry);
		int port = port(server);
		try (RawHttp http = new RawHttp(port)) {
			RawHttp.Reply malformed = http.exchange(
					RawHttp.goMicroRequest(port, "Greeter.Hello", "{\"name\":".getBytes(StandardCharsets.UTF_8)));
			assertThat(MicroException.parse(malformed.header("Micro-Error")).code()).isEqualTo(400);
			RawHttp.Reply unknown = http.exchange(
					RawHttp.goMicroRequest(port, "Greeter.Nope", "{}".getBytes(StandardCharsets.UTF_8)));
			MicroException notFound = MicroException.parse(unknown.header("Micro-Error"));
			assertThat(notFound.code()).isEqualTo(404);
			assertThat(notFound.detail()).isEqualTo("rpc: can't find method Nope");
			RawHttp.Reply good = http.exchange(RawHttp.goMicroRequest(port, "Greeter.Hello",
					"{\"name\":\"John\"}".getBytes(StandardCharsets.UTF_8)));
			assertThat(good.body()).isEqualTo("{\"msg\":\"Hello John\"}\n");
		}
	}

	@Test
	void whenBodyIsOverTheLimitThenA413AnswersAndTheNextRequestSucceeds() throws Exception {
		DefaultServer server = server(new Greeter(), this.registry);
		int port = port(server);
		byte[] huge = new byte[5 * 1024 * 1024];
		Arrays.fill(huge, (byte) 'a');
		try (RawHttp http = new RawHttp(port)) {
			RawHttp.Reply reply = http.exchange(RawHttp.goMicroRequest(port, "Greeter.Hello", huge));
			assertThat(reply.status()).isEqualTo(413);
			assertThat(MicroException.parse(reply.header("Micro-Error")).code()).isEqualTo(413);
		}
		catch (java.net.SocketException ex) {
			// the server may close before the whole body is written; the next request must still succeed
		}
		try (RawHttp http = new RawHttp(port)) {
			RawHttp.Reply good = http.exchange(RawHttp.goMicroRequest(port, "Greeter.Hello",
					"{\"name\":\"John\"}".getBytes(StandardCharsets.UTF_8)));
			assertThat(good.body()).isEqualTo("{\"msg\":\"Hello John\"}\n");
		}
	}

	@Test
	void whenRoundRobinOverThreeNodesThenThreeHundredCallsLandOneHundredOnEach() {
		List<Greeter> greeters = List.of(new Greeter(), new Greeter(), new Greeter());
		greeters.forEach(g -> server(g, this.registry));
		DefaultClient client = client(SelectionStrategy.roundRobin());
		for (int i = 0; i < 300; i++) {
			client.call(Request.of("greeter", "Greeter.Hello", new Greeter.Request("n" + i)), Greeter.Response.class);
		}
		assertThat(greeters).allSatisfy(g -> assertThat(g.calls.get()).isBetween(99, 101));
	}

	@Test
	void whenANodeStoppedWithoutDeregisteringThenEveryCallStillSucceeds() {
		Greeter alive = new Greeter();
		server(alive, this.registry);
		DefaultServer dead = server(new Greeter(), new NoDeregister(this.registry));
		dead.stop();
		assertThat(this.registry.getService("greeter").get(0).nodes()).hasSize(2);
		DefaultClient client = client(SelectionStrategy.roundRobin());
		for (int i = 0; i < 50; i++) {
			Greeter.Response reply = client.call(Request.of("greeter", "Greeter.Hello", new Greeter.Request("n")),
					Greeter.Response.class);
			assertThat(reply.msg()).isEqualTo("Hello n");
		}
		assertThat(alive.calls.get()).isEqualTo(50);
	}

	@Test
	void whenServiceIsUnknownThenTheCallFailsWithNotFound() {
		assertThatThrownBy(() -> client(SelectionStrategy.random())
			.call(Request.of("nobody", "X.Y", new Greeter.Request("n")), Greeter.Response.class,
					CallOptions.builder().requestTimeout(Duration.ofSeconds(2)).build()))
			.isInstanceOfSatisfying(MicroException.class, ex -> {
				assertThat(ex.code()).isEqualTo(500);
				assertThat(ex.detail()).contains("nobody").contains("not found");
			});
	}

	/** A registry whose deregistration is lost, as when a process is killed. */
	static final class NoDeregister implements Registry {

		private final Registry delegate;

		NoDeregister(Registry delegate) {
			this.delegate = delegate;
		}

		@Override
		public String name() {
			return this.delegate.name();
		}

		@Override
		public void register(Service service, Duration ttl) {
			this.delegate.register(service, ttl);
		}

		@Override
		public void deregister(Service service) {
		}

		@Override
		public List<Service> getService(String name) {
			return this.delegate.getService(name);
		}

		@Override
		public List<Service> listServices() {
			return this.delegate.listServices();
		}

		@Override
		public Watch watch(@Nullable String service, RegistryListener listener) {
			return this.delegate.watch(service, listener);
		}

		@Override
		public void close() {
		}

	}

}
