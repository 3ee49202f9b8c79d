package io.micro4j.integration;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micro4j.client.CallOptions;
import io.micro4j.client.CallWrapper;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.Idempotent;
import io.micro4j.client.Request;
import io.micro4j.client.circuitbreaker.CircuitBreakerCallWrapper;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.CallContext;
import io.micro4j.registry.Node;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.selector.SelectionStrategy;
import io.micro4j.server.DefaultServer;
import io.micro4j.transport.http.HttpTransportClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The call pipeline end to end over real sockets: client decorators, safe retries, the retry budget, outlier
 * ejection and the circuit breaker, against real servers in this JVM.
 */
class CallPipelineTests {

	private final MemoryRegistry registry = new MemoryRegistry();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void closeAll() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		this.registry.close();
	}

	/** A handler whose behaviour the test switches: failing with 500, or slow on its first calls. */
	public static final class Orders {

		final String node;

		final AtomicInteger calls = new AtomicInteger();

		final List<String> tenants = new CopyOnWriteArrayList<>();

		volatile boolean failing;

		volatile int slowCalls;

		volatile long slowMillis;

		Orders(String node) {
			this.node = node;
		}

		/** Not idempotent: a timed-out create must not run twice. */
		public Reply create(Req request) throws InterruptedException {
			return handle();
		}

		@Idempotent
		public Reply get(Req request) throws InterruptedException {
			return handle();
		}

		private Reply handle() throws InterruptedException {
			int call = this.calls.incrementAndGet();
			this.tenants.add(CallContext.current().metadata().get("X-Tenant").orElse("none"));
			if (call <= this.slowCalls) {
				Thread.sleep(this.slowMillis);
			}
			if (this.failing) {
				throw MicroException.internalServerError("orders", "database down");
			}
			return new Reply(this.node);
		}

	}

	public record Req(String id) {
	}

	public record Reply(String node) {
	}

	private Orders server(String name) {
		Orders orders = new Orders(name);
		DefaultServer server = DefaultServer.builder("orders")
			.address("127.0.0.1:0")
			.registry(this.registry)
			.build();
		server.handle(orders);
		server.start();
		this.closeables.add(server);
		return orders;
	}

	private DefaultClient client(DefaultSelector.Builder selector, CallWrapper... wrappers) {
		RegistryCache cache = RegistryCache.builder(this.registry).build();
		DefaultSelector built = selector.build();
		HttpTransportClient transport = HttpTransportClient.builder().build();
		DefaultClient.Builder builder = DefaultClient.builder(built, transport)
			.registry(cache)
			.meterRegistry(this.meters);
		for (CallWrapper wrapper : wrappers) {
			builder.wrapper(wrapper);
		}
		DefaultClient client = builder.build();
		this.closeables.add(cache);
		this.closeables.add(transport);
		this.closeables.add(client);
		return client;
	}

	private DefaultSelector.Builder roundRobin() {
		return DefaultSelector.builder(RegistryCache.builder(this.registry).build())
			.strategy(SelectionStrategy.roundRobin());
	}

	private static CallOptions attemptTimeout(Duration attempt) {
		return CallOptions.builder().connectionTimeout(attempt).requestTimeout(Duration.ofSeconds(10)).build();
	}

	private double counter(String name, String... tags) {
		var search = this.meters.find(name).tags(tags);
		return (search.counter() != null) ? search.counters().stream().mapToDouble(c -> c.count()).sum() : 0;
	}

	@Test
	void whenAClientWrapperAddsMetadataThenTheHandlerSeesItOnEveryAttempt() {
		Orders orders = server("a");
		orders.slowCalls = 1;
		orders.slowMillis = 700;
		List<String> seenByServerWrapper = new CopyOnWriteArrayList<>();
		DefaultClient client = client(roundRobin(), next -> context -> {
			context.putMetadata("X-Tenant", "t1");
			return next.call(context);
		});

		Reply reply = client.call(Request.of("orders", "Orders.Get", new Req("1")), Reply.class,
				attemptTimeout(Duration.ofMillis(300)));

		assertThat(reply.node()).isEqualTo("a");
		assertThat(orders.calls).hasValue(2);
		assertThat(orders.tenants).containsExactly("t1", "t1");
	}

	@Test
	void whenANonIdempotentEndpointTimesOutThenItRunsExactlyOnce() {
		Orders orders = server("a");
		orders.slowCalls = 100;
		orders.slowMillis = 600;
		DefaultClient client = client(roundRobin());

		assertThatThrownBy(() -> client.call(Request.of("orders", "Orders.Create", new Req("1")), Reply.class,
				attemptTimeout(Duration.ofMillis(200))))
			.isInstanceOfSatisfying(MicroException.class, ex -> assertThat(ex.code()).isEqualTo(408));

		await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> orders.calls.get() == 1);
		assertThat(counter("micro.client.attempts", "micro.service", "orders")).isEqualTo(1);
	}

	@Test
	void whenAnIdempotentEndpointTimesOutThenItIsRetriedWithinTheDeadline() {
		Orders orders = server("a");
		orders.slowCalls = 1;
		orders.slowMillis = 600;
		DefaultClient client = client(roundRobin());
		long start = System.nanoTime();

		Reply reply = client.call(Request.of("orders", "Orders.Get", new Req("1")), Reply.class,
				CallOptions.builder().connectionTimeout(Duration.ofMillis(200)).requestTimeout(Duration.ofSeconds(3))
					.build());

		assertThat(reply.node()).isEqualTo("a");
		assertThat(orders.calls).hasValue(2);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		assertThat(counter("micro.client.retries", "kind", "timed_out")).isEqualTo(1);
	}

	@Test
	void whenANodeRefusesConnectionsThenBothKindsOfEndpointAreRetriedOnAnotherNode() throws Exception {
		Orders live = server("live");
		registerDeadNode();
		DefaultClient client = client(roundRobin());

		for (int i = 0; i < 4; i++) {
			assertThat(client.call(Request.of("orders", "Orders.Create", new Req("c" + i)), Reply.class).node())
				.isEqualTo("live");
			assertThat(client.call(Request.of("orders", "Orders.Get", new Req("g" + i)), Reply.class).node())
				.isEqualTo("live");
		}

		assertThat(live.calls).hasValue(8);
		assertThat(counter("micro.client.retries", "kind", "not_processed")).isGreaterThanOrEqualTo(1);
	}

	@Test
	void whenEveryNodeFailsThenAttemptsStayWithinTheRetryBudget() {
		List<Orders> nodes = List.of(server("a"), server("b"), server("c"));
		nodes.forEach(n -> n.failing = true);
		DefaultClient client = client(roundRobin());
		CallOptions noBackoff = CallOptions.builder().backoff(io.micro4j.client.Backoff.none()).build();
		int calls = 200;

		for (int i = 0; i < calls; i++) {
			assertThatThrownBy(() -> client.call(Request.of("orders", "Orders.Get", new Req("x")), Reply.class,
					noBackoff))
				.isInstanceOfSatisfying(MicroException.class, ex -> assertThat(ex.code()).isEqualTo(500));
		}

		double attempts = counter("micro.client.attempts", "micro.service", "orders");
		double allowedRetries = Math.max(10, 0.2 * calls);
		assertThat(counter("micro.client.requests", "micro.service", "orders")).isEqualTo(calls);
		assertThat(attempts).isGreaterThan(calls).isLessThanOrEqualTo(calls + allowedRetries);
		assertThat(nodes.stream().mapToInt(n -> n.calls.get()).sum()).isEqualTo((int) attempts);
		assertThat(counter("micro.client.retry.budget.exhausted", "micro.service", "orders")).isPositive();
	}

	@Test
	void whenEveryNodeRefusesConnectionsThenEachCallTriesEachNodeOnceAndFails() throws Exception {
		for (int i = 0; i < 3; i++) {
			registerDeadNode();
		}
		DefaultClient client = client(roundRobin());

		for (int i = 0; i < 20; i++) {
			assertThatThrownBy(() -> client.call(Request.of("orders", "Orders.Get", new Req("x")), Reply.class))
				.isInstanceOfSatisfying(MicroException.class, ex -> assertThat(ex.detail()).startsWith("dial 127.0.0.1:"));
		}

		assertThat(counter("micro.client.attempts", "micro.service", "orders")).isLessThanOrEqualTo(20 * 3);
		assertThat(counter("micro.client.retry.budget.exhausted", "micro.service", "orders")).isZero();
	}

	@Test
	void whenTwoLiveNodesHideAmongTwoHundredStaleRecordsThenEveryCallSucceedsAndWarmCallsNeverDialADeadNode()
			throws Exception {
		Orders a = server("a");
		Orders b = server("b");
		for (int i = 0; i < 200; i++) {
			registerDeadNode();
		}
		HttpTransportClient transport = HttpTransportClient.builder().build();
		java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
		this.closeables.add(timer::shutdownNow);
		this.closeables.add(transport);
		DefaultSelector.Builder selector = roundRobin()
			.prober((node) -> transport.probe(node.address(), Duration.ofSeconds(1)), timer);
		DefaultClient client = client(selector);

		for (int i = 0; i < 20; i++) {
			assertThat(client.call(Request.of("orders", "Orders.Create", new Req("w" + i)), Reply.class).node())
				.isIn("a", "b");
		}
		// warm: the background probes have found both live nodes, and calls go to nodes known to answer
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			double before = counter("micro.client.attempts", "micro.service", "orders");
			java.util.Set<String> answered = new java.util.HashSet<>();
			for (int i = 0; i < 4; i++) {
				answered.add(client.<Reply>call(Request.of("orders", "Orders.Create", new Req("warm")), Reply.class).node());
			}
			assertThat(answered).containsExactlyInAnyOrder("a", "b");
			assertThat(counter("micro.client.attempts", "micro.service", "orders")).isEqualTo(before + 4);
		});
		double attemptsBefore = counter("micro.client.attempts", "micro.service", "orders");
		int before = a.calls.get() + b.calls.get();

		for (int i = 0; i < 100; i++) {
			client.call(Request.of("orders", "Orders.Create", new Req("c" + i)), Reply.class);
		}

		assertThat(counter("micro.client.attempts", "micro.service", "orders") - attemptsBefore).isEqualTo(100);
		assertThat(a.calls.get() + b.calls.get() - before).isEqualTo(100);
		assertThat(a.calls.get()).isPositive();
		assertThat(b.calls.get()).isPositive();
	}

	@Test
	void whenOneOfThreeNodesAnswers500ThenItIsEjectedAfterAtMostFiveFailures() {
		Orders a = server("a");
		Orders b = server("b");
		Orders bad = server("bad");
		bad.failing = true;
		DefaultClient client = client(roundRobin().ejectionBase(Duration.ofSeconds(30)).ejectionMax(Duration.ofSeconds(60)));
		int failed = 0;

		for (int i = 0; i < 60; i++) {
			try {
				client.call(Request.of("orders", "Orders.Create", new Req("x")), Reply.class);
			}
			catch (MicroException ex) {
				assertThat(ex.code()).isEqualTo(500);
				failed++;
			}
		}

		assertThat(bad.calls.get()).isLessThanOrEqualTo(5);
		assertThat(failed).isEqualTo(bad.calls.get());
		assertThat(a.calls.get() + b.calls.get()).isEqualTo(60 - failed);
	}

	@Test
	void whenEveryNodeFailsAnEndpointThenTheBreakerOpensAnswersFastAndClosesAfterRecovery() {
		List<Orders> nodes = List.of(server("a"), server("b"), server("c"));
		nodes.forEach(n -> n.failing = true);
		CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.from(
				CircuitBreakerCallWrapper.defaultConfig()).waitDurationInOpenState(Duration.ofSeconds(1)).build());
		RegistryCache cache = RegistryCache.builder(this.registry).build();
		HttpTransportClient transport = HttpTransportClient.builder().build();
		DefaultClient client = DefaultClient.builder(DefaultSelector.builder(cache).build(), transport)
			.registry(cache)
			.wrapper(CallWrapper.CIRCUIT_BREAKER_ORDER, new CircuitBreakerCallWrapper(breakers))
			.build();
		this.closeables.addAll(List.of(cache, transport, client));
		Request request = Request.of("orders", "Orders.Create", new Req("x"));

		for (int i = 0; i < 10; i++) {
			assertThatThrownBy(() -> client.call(request, Reply.class))
				.isInstanceOfSatisfying(MicroException.class, ex -> assertThat(ex.code()).isEqualTo(500));
		}
		CircuitBreaker breaker = breakers.circuitBreaker("orders/Orders.Create");
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		int reached = nodes.stream().mapToInt(n -> n.calls.get()).sum();

		// while open: a go-micro error without touching the network; the median of 21 calls, so one GC pause on a
		// shared machine does not decide
		long[] nanos = new long[21];
		for (int i = 0; i < nanos.length; i++) {
			long start = System.nanoTime();
			assertThatThrownBy(() -> client.call(request, Reply.class)).isInstanceOfSatisfying(MicroException.class,
					ex -> {
						assertThat(ex.code()).isEqualTo(503);
						assertThat(ex.id()).isEqualTo(CircuitBreakerCallWrapper.ERROR_ID);
						assertThat(ex.detail()).contains("circuit breaker open for orders Orders.Create");
					});
			nanos[i] = System.nanoTime() - start;
		}
		java.util.Arrays.sort(nanos);
		assertThat(Duration.ofNanos(nanos[nanos.length / 2])).isLessThan(Duration.ofMillis(10));
		assertThat(nodes.stream().mapToInt(n -> n.calls.get()).sum()).isEqualTo(reached);

		nodes.forEach(n -> n.failing = false);
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			try {
				client.call(request, Reply.class);
			}
			catch (MicroException ex) {
				// still open: keep trying
			}
			assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		});
		assertThat(client.call(request, Reply.class).node()).isIn("a", "b", "c");
	}

	/** Registers a node of {@code orders} on a loopback port where nothing listens. */
	private void registerDeadNode() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Node node = new Node("orders-dead-" + port, "127.0.0.1:" + port, Map.of("protocol", "mucp"));
		this.registry.register(Service.of("orders", "latest", List.of(node)), Duration.ZERO);
	}

}
