package io.micro4j.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micro4j.broker.Message;
import io.micro4j.broker.memory.MemoryBroker;
import io.micro4j.client.Idempotent;
import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.FailureKind;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.CallContext;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link DefaultServer} over real sockets: immutable options, the wrapper chains, deadlines and bounded work.
 */
class DefaultServerTests {

	private final MemoryRegistry registry = new MemoryRegistry();

	private final MemoryBroker broker = new MemoryBroker();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final List<DefaultServer> servers = new ArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void closeAll() {
		this.release.countDown();
		this.servers.forEach(DefaultServer::stop);
		this.broker.close();
		this.registry.close();
	}

	public record Request(String name) {
	}

	public record Response(String msg) {
	}

	/** Answers at once ({@code Hello}), after the test releases it ({@code Hold}, {@code Slow}). */
	public class Greeter {

		final List<String> seen = new CopyOnWriteArrayList<>();

		final CountDownLatch cancelled = new CountDownLatch(1);

		volatile boolean cancelledAfterSleep;

		final CountDownLatch slowDone = new CountDownLatch(1);

		final CountDownLatch releaseSlow = new CountDownLatch(1);

		public Response hello(Request request) {
			this.seen.add("handler:" + request.name());
			return new Response("Hello " + request.name());
		}

		public Response hold(Request request) throws InterruptedException {
			DefaultServerTests.this.release.await(10, TimeUnit.SECONDS);
			return new Response("held " + request.name());
		}

		public Response slow(Request request) throws InterruptedException {
			CallContext.current().onCancel(this.cancelled::countDown);
			this.releaseSlow.await(10, TimeUnit.SECONDS);
			this.cancelledAfterSleep = CallContext.current().isCancelled();
			this.slowDone.countDown();
			return new Response("late " + request.name());
		}

	}

	private DefaultServer.Builder builder() {
		return DefaultServer.builder("greeter").address("127.0.0.1:0").registry(this.registry).broker(this.broker);
	}

	private DefaultServer start(DefaultServer server, Object handler) {
		server.handle("Greeter", handler);
		server.start();
		this.servers.add(server);
		return server;
	}

	private HttpResponse<String> call(DefaultServer server, String endpoint, String name, @Nullable Duration timeout,
			String... headers) throws IOException, InterruptedException {
		return send(server, endpoint, name, timeout, headers).join();
	}

	private CompletableFuture<HttpResponse<String>> send(DefaultServer server, String endpoint, String name,
			@Nullable Duration timeout, String... headers) {
		int port = server.boundAddress().orElseThrow().getPort();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
			.header("Content-Type", "application/json")
			.header("Micro-Endpoint", endpoint)
			.header("Micro-Id", "1")
			.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"));
		if (timeout != null) {
			request.header("Timeout", Long.toString(timeout.toNanos()));
		}
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private static @Nullable MicroException error(HttpResponse<String> response) {
		return response.headers().firstValue("Micro-Error").map(MicroException::parse).orElse(null);
	}

	@Test
	void whenBuiltTwiceFromOneBuilderThenTheServersAreTwoNodes() {
		DefaultServer.Builder builder = builder();
		DefaultServer first = builder.build();
		DefaultServer second = builder.build();
		assertThat(first.nodeId()).isNotEqualTo(second.nodeId()).startsWith("greeter-");
		assertThat(builder.id("fixed").build().nodeId()).isEqualTo("greeter-fixed");
	}

	@Test
	void whenTheBuilderChangesAfterBuildThenTheBuiltServerDoesNot() throws Exception {
		DefaultServer.Builder builder = builder().version("1.0").metadata(Map.of("zone", "a"));
		DefaultServer server = builder.build();
		builder.version("2.0")
			.metadata(Map.of("zone", "b"))
			.address("127.0.0.2:0")
			.maxConcurrentCalls(1)
			.endpointConcurrencyLimit("Greeter.Hello", 1)
			.wrapper(next -> request -> {
				throw MicroException.forbidden("test", "wrapper added after build");
			})
			.id("changed");
		start(server, new Greeter());

		Service service = server.service();
		assertThat(service.version()).isEqualTo("1.0");
		assertThat(service.nodes().get(0).metadata()).containsEntry("zone", "a");
		assertThat(server.nodeId()).doesNotContain("changed");
		assertThat(server.boundAddress().orElseThrow().getHostString()).isEqualTo("127.0.0.1");
		HttpResponse<String> response = call(server, "Greeter.Hello", "John", null);
		assertThat(error(response)).isNull();
		assertThat(response.body()).contains("Hello John");
	}

	@Test
	void whenWrappersAreAddedThenTheFirstIsOutermostAndMayReplaceTheBody() throws Exception {
		List<String> order = new CopyOnWriteArrayList<>();
		Greeter greeter = new Greeter();
		DefaultServer server = builder().wrapper(next -> request -> {
			order.add("first>");
			request.setAttribute("tenant", request.metadata().get("X-Tenant").orElse("none"));
			Object result = next.handle(request);
			order.add("<first");
			return result;
		}).wrapper(next -> request -> {
			order.add("second>" + request.attribute("tenant", String.class).orElse("?"));
			assertThat(request.localAddress()).isPresent();
			assertThat(request.remoteAddress()).isPresent();
			assertThat(request.deadline()).isPresent();
			Object result = next.handle(request.withBody(new Request(((Request) request.body()).name() + "!")));
			order.add("<second");
			return result;
		}).build();
		start(server, greeter);

		HttpResponse<String> response = call(server, "Greeter.Hello", "John", Duration.ofSeconds(5), "X-Tenant", "t1");

		assertThat(response.body()).contains("Hello John!");
		assertThat(order).containsExactly("first>", "second>t1", "<second", "<first");
		assertThat(greeter.seen).containsExactly("handler:John!");
	}

	@Test
	void whenTheDeadlinePassesThenTheCallerGetsA408AtOnceAndTheHandlerSeesTheCancellation() throws Exception {
		Greeter greeter = new Greeter();
		DefaultServer server = start(builder().build(), greeter);

		long started = System.nanoTime();
		HttpResponse<String> response = call(server, "Greeter.Slow", "John", Duration.ofMillis(200));
		long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

		MicroException error = error(response);
		assertThat(error).isNotNull();
		assertThat(error.code()).isEqualTo(408);
		assertThat(error.id()).isEqualTo(FailureClassifier.SERVER_ID);
		assertThat(error.detail()).isEqualTo(
				"deadline exceeded: handler Greeter.Slow did not answer within the caller's timeout");
		// answered while the handler still runs (it waits for the test), not when it returns
		assertThat(greeter.slowDone.getCount()).isEqualTo(1);
		assertThat(elapsed).isLessThan(10_000);
		assertThat(greeter.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
		greeter.releaseSlow.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight() == 0);
		assertThat(greeter.cancelledAfterSleep).isTrue();
		assertThat(call(server, "Greeter.Hello", "Jane", Duration.ofSeconds(5)).body()).contains("Hello Jane");
	}

	@Test
	void whenTheServerIsFullThenTheNextCallGetsA503AtOnceAndServingContinues() throws Exception {
		DefaultServer server = start(builder().maxConcurrentCalls(2).build(), new Greeter());
		CompletableFuture<HttpResponse<String>> first = send(server, "Greeter.Hold", "a", null);
		CompletableFuture<HttpResponse<String>> second = send(server, "Greeter.Hold", "b", null);
		await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight() == 2);

		long started = System.nanoTime();
		MicroException busy = error(call(server, "Greeter.Hello", "c", null));
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1000);

		assertThat(busy).isNotNull();
		assertThat(busy.code()).isEqualTo(503);
		assertThat(busy.id()).isEqualTo("go.micro.server");
		assertThat(busy.detail()).isEqualTo("server busy: 2 calls in flight (limit 2)");
		assertThat(FailureClassifier.classify(busy)).isEqualTo(FailureKind.NOT_PROCESSED);
		this.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS).body()).contains("held a");
		assertThat(second.get(5, TimeUnit.SECONDS).body()).contains("held b");
		await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight() == 0);
		assertThat(call(server, "Greeter.Hello", "d", null).body()).contains("Hello d");
	}

	@Test
	void whenAnEndpointIsFullThenOnlyThatEndpointAnswers503() throws Exception {
		DefaultServer server = start(builder().endpointConcurrencyLimit("Greeter.Hold", 1).build(), new Greeter());
		CompletableFuture<HttpResponse<String>> first = send(server, "Greeter.Hold", "a", null);
		await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight() == 1);

		MicroException busy = error(call(server, "Greeter.Hold", "b", null));
		assertThat(busy).isNotNull();
		assertThat(busy.code()).isEqualTo(503);
		assertThat(busy.id()).isEqualTo("go.micro.server");
		assertThat(busy.detail()).isEqualTo("server busy: 1 calls of Greeter.Hold in flight (limit 1)");
		assertThat(call(server, "Greeter.Hello", "c", null).body()).contains("Hello c");
		this.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS).body()).contains("held a");
	}

	@Test
	void whenTheHandlerQueueIsFullThenTheCallGetsA503FromTheServer() throws Exception {
		DefaultServer server = start(builder().handlerThreads(1).maxQueuedCalls(1).build(), new Greeter());
		CompletableFuture<HttpResponse<String>> running = send(server, "Greeter.Hold", "a", null);
		await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight() == 1);
		CompletableFuture<HttpResponse<String>> queued = send(server, "Greeter.Hold", "b", null);
		await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight() == 2);

		MicroException busy = error(call(server, "Greeter.Hello", "c", null));

		assertThat(busy).isNotNull();
		assertThat(busy.code()).isEqualTo(503);
		assertThat(busy.id()).isEqualTo(FailureClassifier.SERVER_ID);
		this.release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS).body()).contains("held a");
		assertThat(queued.get(5, TimeUnit.SECONDS).body()).contains("held b");
	}

	public static class Events {

		final List<String> received = new CopyOnWriteArrayList<>();

		public void onEvent(Request event, Metadata headers) {
			this.received.add(event.name() + "/" + headers.get("X-Tenant").orElse("-"));
		}

	}

	public static class AnyEvents {

		final List<Object> received = new CopyOnWriteArrayList<>();

		public void onEvent(Object event) {
			this.received.add(event);
		}

	}

	@Test
	void whenAMessageIsJsonNullThenTheSubscriberIsNotCalledAndTheNextMessageArrives() throws Exception {
		AnyEvents events = new AnyEvents();
		DefaultServer server = builder().build();
		server.subscribe("events", null, events, AnyEvents.class.getMethod("onEvent", Object.class));
		start(server, new Greeter());

		this.broker.publish("events", new Message(Metadata.of("Content-Type", "application/json"),
				"null".getBytes(StandardCharsets.UTF_8)));
		this.broker.publish("events", new Message(Metadata.of("Content-Type", "application/json"),
				"{\"name\":\"e2\"}".getBytes(StandardCharsets.UTF_8)));

		await().atMost(Duration.ofSeconds(5)).until(() -> !events.received.isEmpty());
		assertThat(events.received).containsExactly(Map.of("name", "e2"));
	}

	@Test
	void whenSubscriberWrappersAreAddedThenTheFirstIsOutermostAndMayReplaceThePayload() throws Exception {
		List<String> order = new CopyOnWriteArrayList<>();
		Events events = new Events();
		DefaultServer server = builder().subscriberWrapper(next -> message -> {
			order.add("first>" + message.topic() + "/" + message.queue().orElse("-"));
			next.handle(message);
			order.add("<first");
		}).subscriberWrapper(next -> message -> {
			order.add("second>" + message.contentType());
			next.handle(message.withPayload(new Request(((Request) message.payload()).name() + "!")));
			order.add("<second");
		}).build();
		server.subscribe("events", "workers", events, Events.class.getMethod("onEvent", Request.class, Metadata.class));
		start(server, new Greeter());

		this.broker.publish("events", new Message(
				Metadata.of("Content-Type", "application/json", "X-Tenant", "t1"),
				"{\"name\":\"e1\"}".getBytes(StandardCharsets.UTF_8)));

		await().atMost(Duration.ofSeconds(5)).until(() -> events.received.size() == 1);
		assertThat(events.received).containsExactly("e1!/t1");
		assertThat(order).containsExactly("first>events/workers", "second>application/json", "<second", "<first");
	}

	public static class Orders {

		@Idempotent
		public Response get(Request request) {
			return new Response("order");
		}

		public Response create(Request request) {
			return new Response("created");
		}

	}

	@Idempotent
	public static class Lookups {

		public Response find(Request request) {
			return new Response("found");
		}

	}

	@Test
	void whenAHandlerMethodOrClassIsIdempotentThenItsEndpointsSayIdempotentInTheRegistry() {
		DefaultServer server = builder().build();
		server.handle(new Orders());
		server.handle(new Lookups());
		server.start();
		this.servers.add(server);

		Map<String, Map<String, String>> metadata = new java.util.HashMap<>();
		for (Endpoint endpoint : this.registry.getService("greeter").get(0).endpoints()) {
			metadata.put(endpoint.name(), endpoint.metadata());
		}
		assertThat(metadata.get("Orders.Get")).containsEntry(Idempotent.METADATA_KEY, "true");
		assertThat(metadata.get("Orders.Create")).doesNotContainKey(Idempotent.METADATA_KEY);
		assertThat(metadata.get("Lookups.Find")).containsEntry(Idempotent.METADATA_KEY, "true");
	}

}
