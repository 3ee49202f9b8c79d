package io.micro4j.registry.consul;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.registry.Node;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.Service;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.server.DefaultServer;
import io.micro4j.test.consul.ConsulServer;
import io.micro4j.transport.http.HttpTransportClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client calling a server in a steady loop, both discovering each other through Consul, while Consul misbehaves. */
class ConsulFaultTests {

	private static final Duration REGISTER_INTERVAL = Duration.ofSeconds(2);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	final ConsulServer consul = new ConsulServer();

	private final Deque opened = new Deque();

	@AfterEach
	void closeAll() throws Exception {
		this.opened.close();
	}

	private ConsulRegistry registry() {
		return this.opened.add(ConsulRegistry.builder(this.consul.address()).timeout(Duration.ofSeconds(1)).build());
	}

	private DefaultServer server(String owner, Duration ttl) {
		DefaultServer server = this.opened.add(DefaultServer.builder("hello")
			.address("127.0.0.1:0")
			.registry(registry())
			.registerTtl(ttl)
			.registerInterval(REGISTER_INTERVAL)
			.build());
		server.handle(new Hello(owner));
		server.start();
		return server;
	}

	private RegistryCache cache() {
		return this.opened.add(RegistryCache.builder(registry()).build());
	}

	private DefaultClient client(RegistryCache cache) {
		DefaultSelector selector = this.opened.add(DefaultSelector.builder(cache).build());
		HttpTransportClient transport = this.opened.add(HttpTransportClient.builder().build());
		return this.opened.add(DefaultClient.builder(selector, transport).build());
	}

	@Test
	void whenTheAgentRestartsEmptyUnderACallLoopThenNoCallFailsAndTheNodeIsBackWithinOneRegisterInterval()
			throws Exception {
		DefaultServer server = server("java", Duration.ofSeconds(10));
		Calls calls = this.opened.add(new Calls(client(cache())));
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.answered() > 20);

		this.consul.restart();
		long back = System.nanoTime();

		await().atMost(REGISTER_INTERVAL).pollInterval(Duration.ofMillis(20)).until(() -> agentHolds(server.nodeId()));
		long registeredAfterMillis = (System.nanoTime() - back) / 1_000_000;
		long answered = calls.answered();
		await().atMost(Duration.ofSeconds(5)).until(() -> calls.answered() > answered + 50);
		calls.close();
		assertThat(calls.failures()).as("failed calls").isEmpty();
		assertThat(registeredAfterMillis).as("ms until registered again").isLessThan(REGISTER_INTERVAL.toMillis());
	}

	@Test
	void whenANodesTtlCheckGoesCriticalThenClientsDropItWithinTwoSeconds() {
		DefaultServer staying = server("staying", Duration.ofSeconds(30));
		String name = "hello";
		ConsulRegistry owner = registry();
		Node abandoned = new Node("hello-abandoned", "127.0.0.1:1", staying.service().nodes().get(0).metadata());
		owner.register(staying.service().withNodes(List.of(abandoned)), Duration.ofSeconds(2));
		RegistryCache cache = cache();
		await().atMost(Duration.ofSeconds(5)).until(() -> nodeIds(cache.getService(name)).size() == 2);

		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
			.until(() -> checkStatus(abandoned.id()).equals("critical"));
		long critical = System.nanoTime();
		await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
			.until(() -> !nodeIds(cache.getService(name)).contains(abandoned.id()));

		assertThat((System.nanoTime() - critical) / 1_000_000).as("ms until dropped").isLessThan(2000);
		assertThat(nodeIds(cache.getService(name))).containsExactly(staying.nodeId());
	}

	private boolean agentHolds(String nodeId) {
		try {
			return JSON.readTree(this.consul.call("GET", "/v1/agent/services", null)).has(nodeId);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private String checkStatus(String nodeId) {
		return JSON.readTree(this.consul.call("GET", "/v1/agent/checks", null))
			.path("service:" + nodeId)
			.path("Status")
			.asString("");
	}

	private static List<String> nodeIds(List<Service> services) {
		return services.stream().flatMap(service -> service.nodes().stream()).map(Node::id).toList();
	}

	/** What the test opened, closed in reverse order. */
	private static final class Deque implements AutoCloseable {

		private final java.util.ArrayDeque<AutoCloseable> items = new java.util.ArrayDeque<>();

		<T extends AutoCloseable> T add(T item) {
			this.items.push(item);
			return item;
		}

		@Override
		public void close() throws Exception {
			while (!this.items.isEmpty()) {
				this.items.pop().close();
			}
		}

	}

	/** {@code Hello.Say} called back to back on a thread of its own; failures are kept. */
	private static final class Calls implements AutoCloseable {

		private final AtomicLong answered = new AtomicLong();

		private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

		private final Thread caller;

		private volatile boolean stopped;

		Calls(DefaultClient client) {
			this.caller = new Thread(() -> {
				Request request = Request.of("hello", "Hello.Say", new Hello.Request("Consul"));
				while (!this.stopped) {
					try {
						client.call(request, Hello.Reply.class);
						this.answered.incrementAndGet();
						Thread.sleep(5);
					}
					catch (InterruptedException ex) {
						return;
					}
					catch (RuntimeException ex) {
						this.failures.add(ex);
					}
				}
			}, "calls");
			this.caller.setDaemon(true);
			this.caller.start();
		}

		long answered() {
			return this.answered.get();
		}

		List<Throwable> failures() {
			return List.copyOf(this.failures);
		}

		@Override
		public void close() throws InterruptedException {
			this.stopped = true;
			this.caller.join(10_000);
		}

	}

}
