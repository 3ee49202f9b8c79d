package io.micro4j.client;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micro4j.errors.MicroException;
import io.micro4j.metadata.CallContext;
import io.micro4j.metadata.Deadline;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Node;
import io.micro4j.selector.Next;
import io.micro4j.selector.SelectOptions;
import io.micro4j.selector.Selector;
import io.micro4j.transport.ConnectFailedException;
import io.micro4j.transport.TransportClient;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefaultClientTests {

	record Hello(String name) {
	}

	record Reply(String msg) {
	}

	private final FakeSelector selector = new FakeSelector(List.of(node("a"), node("b"), node("c")));

	private final FakeTransport transport = new FakeTransport();

	private DefaultClient client;

	@AfterEach
	void close() {
		if (this.client != null) {
			this.client.close();
		}
	}

	private DefaultClient client(CallOptions options) {
		this.client = DefaultClient.builder(this.selector, this.transport).defaultCallOptions(options).build();
		return this.client;
	}

	private static CallOptions fast() {
		return CallOptions.builder().backoff(Backoff.none()).build();
	}

	@Test
	void whenCallSucceedsThenGoMicroHeadersAreSentAndTheReplyIsDecoded() {
		this.transport.behaviour = (address) -> ok("{\"msg\":\"Hello John\"}\n");
		Reply reply = client(CallOptions.defaults()).call(Request.of("greeter", "Greeter.Hello", new Hello("John")),
				Reply.class);
		assertThat(reply).isEqualTo(new Reply("Hello John"));
		TransportRequest sent = this.transport.requests.get(0);
		assertThat(sent.headers().asMap()).containsEntry("Content-Type", "application/json")
			.containsEntry("Accept", "application/json")
			.containsEntry("Micro-Service", "greeter")
			.containsEntry("Micro-Endpoint", "Greeter.Hello")
			.containsEntry("Micro-Method", "Greeter.Hello")
			.containsEntry("Micro-Id", "0")
			.containsEntry("Timeout", "5000000000");
		assertThat(new String(sent.body(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"John\"}\n");
		assertThat(this.selector.marks).containsExactly("a:ok");
	}

	@Test
	void whenNodeRefusesConnectionThenTheCallIsRetriedOnAnotherNode() {
		this.transport.behaviour = (address) -> address.equals("a") ? refused(address) : ok("{\"msg\":\"hi\"}\n");
		Reply reply = client(fast()).call(Request.of("greeter", "Greeter.Hello", new Hello("x")), Reply.class);
		assertThat(reply.msg()).isEqualTo("hi");
		assertThat(this.selector.marks).containsExactly("a:ConnectFailedException", "b:ok");
	}

	@Test
	void whenServerAnswersAnErrorThenItIsNotRetriedAndSurfacesAsSent() {
		this.transport.behaviour = (address) -> error(
				"{\"id\":\"greeter.hello\",\"code\":400,\"detail\":\"bad name\",\"status\":\"Bad Request\"}");
		assertThatThrownBy(() -> client(fast()).call(Request.of("greeter", "Greeter.Hello", new Hello("error")),
				Reply.class))
			.isInstanceOfSatisfying(MicroException.class, ex -> {
				assertThat(ex.code()).isEqualTo(400);
				assertThat(ex.id()).isEqualTo("greeter.hello");
				assertThat(ex.detail()).isEqualTo("bad name");
			});
		assertThat(this.transport.requests).hasSize(1);
	}

	@Test
	void whenEveryAttemptTimesOutThenRetriesStopAtTheLimit() {
		this.transport.behaviour = (address) -> CompletableFuture
			.failedFuture(MicroException.timeout("go.micro.client", "call timeout"));
		assertThatThrownBy(() -> client(fast().toBuilder().retries(3).idempotent(true).build())
			.call(Request.of("greeter", "Greeter.Hello", new Hello("x")), Reply.class))
			.isInstanceOfSatisfying(MicroException.class, ex -> assertThat(ex.code()).isEqualTo(408));
		assertThat(this.transport.requests).hasSize(4);
	}

	@Test
	void whenServerNeverAnswersThenTheWholeCallEndsAtItsDeadline() {
		this.transport.behaviour = (address) -> new CompletableFuture<>();
		CallOptions options = fast().toBuilder().requestTimeout(Duration.ofMillis(300)).build();
		long start = System.nanoTime();
		assertThatThrownBy(() -> client(options).call(Request.of("greeter", "Greeter.Hello", new Hello("x")),
				Reply.class))
			.isInstanceOfSatisfying(MicroException.class, ex -> assertThat(ex.code()).isEqualTo(408));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(this.transport.timeouts.get(0)).isLessThanOrEqualTo(Duration.ofMillis(300));
	}

	@Test
	void whenCalledInsideAHandlerThenMetadataAndTheEarlierDeadlineAreInherited() {
		this.transport.behaviour = (address) -> ok("{}");
		Metadata incoming = Metadata.of("Micro-Endpoint", "Other.Call", "X-Tenant", "acme", "Timeout", "1");
		try (CallContext.Scope scope = CallContext.of(incoming, Deadline.after(Duration.ofSeconds(2))).makeCurrent()) {
			client(CallOptions.defaults()).call(
					Request.of("greeter", "Greeter.Hello", new Hello("x")).withMetadata(Metadata.of("x-extra", "1")),
					Reply.class);
		}
		Map<String, String> headers = this.transport.requests.get(0).headers().asMap();
		assertThat(headers).containsEntry("X-Tenant", "acme").containsEntry("X-Extra", "1");
		assertThat(headers.get("Micro-Endpoint")).isEqualTo("Greeter.Hello");
		assertThat(Long.parseLong(headers.get("Timeout"))).isLessThanOrEqualTo(Duration.ofSeconds(2).toNanos());
	}

	@Test
	void whenWrappersAreAddedThenTheFirstIsOutermost() {
		this.transport.behaviour = (address) -> ok("{}");
		List<String> order = new CopyOnWriteArrayList<>();
		this.client = DefaultClient.builder(this.selector, this.transport)
			.wrapper(next -> context -> {
				order.add("first>");
				return next.call(context).whenComplete((r, e) -> order.add("<first"));
			})
			.wrapper(next -> context -> {
				order.add("second>");
				return next.call(context).whenComplete((r, e) -> order.add("<second"));
			})
			.build();
		this.client.call(Request.of("greeter", "Greeter.Hello", new Hello("x")), Reply.class);
		assertThat(order).containsExactly("first>", "second>", "<second", "<first");
	}

	@Test
	void whenWrappersHaveOrdersThenTheyRunAroundTheBuiltInStagesAsDocumented() {
		this.transport.behaviour = (address) -> address.equals("a") ? refused(address) : ok("{}");
		List<String> seen = new CopyOnWriteArrayList<>();
		java.util.function.Function<String, CallWrapper> recorder = (name) -> next -> context -> {
			seen.add(name + "@" + context.attempt() + (context.node().isPresent() ? ":" + context.node().get().id() : ""));
			return next.call(context);
		};
		this.client = DefaultClient.builder(this.selector, this.transport)
			.defaultCallOptions(fast())
			.wrapper(recorder.apply("user"))                                         // 0: per attempt, node chosen
			.wrapper(CallWrapper.SELECTION_ORDER - 50, recorder.apply("pre-select")) // per attempt, no node yet
			.wrapper(CallWrapper.RETRY_ORDER - 50, recorder.apply("per-call"))       // once, outside retry
			.build();

		this.client.call(Request.of("greeter", "Greeter.Hello", new Hello("x")), Reply.class);

		assertThat(seen).containsExactly("per-call@0", "pre-select@0", "user@0:a", "pre-select@1", "user@1:b");
	}

	@Test
	void whenCalledAsyncThenTheFutureCompletesOnTheCallbackExecutor() throws Exception {
		CompletableFuture<TransportResponse> pending = new CompletableFuture<>();
		this.transport.behaviour = (address) -> pending;
		var executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "callbacks"));
		try {
			this.client = DefaultClient.builder(this.selector, this.transport).callbackExecutor(executor).build();
			CompletableFuture<String> thread = this.client
				.callAsync(Request.of("greeter", "Greeter.Hello", new Hello("x")), Reply.class)
				.thenApply(reply -> reply.msg() + "@" + Thread.currentThread().getName());
			Thread io = new Thread(() -> pending.complete(ok("{\"msg\":\"async\"}").join()), "io-thread");
			io.start();
			assertThat(thread.get(5, TimeUnit.SECONDS)).isEqualTo("async@callbacks");
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void whenAddressesAreGivenThenTheSelectorIsBypassed() {
		this.transport.behaviour = (address) -> ok("{}");
		client(CallOptions.builder().addresses(List.of("127.0.0.1:1")).build())
			.call(Request.of("greeter", "Greeter.Hello", new Hello("x")), Reply.class);
		assertThat(this.transport.addresses).containsExactly("127.0.0.1:1");
		assertThat(this.selector.selects.get()).isZero();
	}

	@Test
	void whenCallEndsThenAnObservationWithServiceEndpointAndCodeIsRecorded() {
		this.transport.behaviour = (address) -> error("{\"id\":\"x\",\"code\":404,\"detail\":\"nope\"}");
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.client = DefaultClient.builder(this.selector, this.transport).observationRegistry(registry).build();
		assertThatThrownBy(() -> this.client.call(Request.of("greeter", "Greeter.Nope", new Hello("x")), Reply.class))
			.isInstanceOf(MicroException.class);
		TestObservationRegistryAssert.assertThat(registry)
			.hasObservationWithNameEqualTo("micro.client.calls")
			.that()
			.hasContextualNameEqualTo("greeter.Greeter.Nope")
			.hasLowCardinalityKeyValue("micro.service", "greeter")
			.hasLowCardinalityKeyValue("micro.endpoint", "Greeter.Nope")
			.hasLowCardinalityKeyValue("micro.code", "404")
			.hasLowCardinalityKeyValue("outcome", "ERROR")
			.hasBeenStopped();
	}

	private static Node node(String id) {
		return new Node(id, id, Map.of("protocol", "mucp"));
	}

	private static CompletableFuture<TransportResponse> ok(String body) {
		return CompletableFuture.completedFuture(new TransportResponse(200,
				Metadata.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8)));
	}

	private static CompletableFuture<TransportResponse> error(String json) {
		return CompletableFuture
			.completedFuture(new TransportResponse(200, Metadata.of("Micro-Error", json), new byte[0]));
	}

	private static CompletableFuture<TransportResponse> refused(String address) {
		return CompletableFuture
			.failedFuture(new ConnectFailedException(address, new ConnectException("Connection refused")));
	}

	/** Round robin over fixed nodes, recording marks. */
	static final class FakeSelector implements Selector {

		final List<Node> nodes;

		final List<String> marks = new CopyOnWriteArrayList<>();

		final AtomicInteger selects = new AtomicInteger();

		final AtomicInteger counter = new AtomicInteger();

		FakeSelector(List<Node> nodes) {
			this.nodes = nodes;
		}

		@Override
		public Next select(String service, SelectOptions options) {
			this.selects.incrementAndGet();
			return () -> this.nodes.get(this.counter.getAndIncrement() % this.nodes.size());
		}

		@Override
		public void mark(String service, Node node, @Nullable Throwable error) {
			this.marks.add(node.id() + ":" + ((error != null) ? error.getClass().getSimpleName() : "ok"));
		}

		@Override
		public void reset(String service) {
		}

		@Override
		public void close() {
		}

	}

	/** Answers per address as told, recording what was sent. */
	static final class FakeTransport implements TransportClient {

		volatile Function<String, CompletableFuture<TransportResponse>> behaviour = (address) -> ok("{}");

		final List<TransportRequest> requests = new CopyOnWriteArrayList<>();

		final List<String> addresses = new CopyOnWriteArrayList<>();

		final List<Duration> timeouts = new CopyOnWriteArrayList<>();

		final Map<String, Integer> perAddress = new ConcurrentHashMap<>();

		@Override
		public CompletableFuture<TransportResponse> send(String address, TransportRequest request, Duration timeout) {
			this.requests.add(request);
			this.addresses.add(address);
			this.timeouts.add(timeout);
			this.perAddress.merge(address, 1, Integer::sum);
			return this.behaviour.apply(address);
		}

		@Override
		public void close() {
		}

	}

}
