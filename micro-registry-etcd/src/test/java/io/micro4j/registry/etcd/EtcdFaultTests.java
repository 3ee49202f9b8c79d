package io.micro4j.registry.etcd;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.registry.Node;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.RegistryEvent;
import io.micro4j.registry.Service;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.server.DefaultServer;
import io.micro4j.test.etcd.EtcdServer;
import io.micro4j.transport.http.HttpTransportClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client calling a server in a steady loop, both discovering each other through etcd, while etcd is killed,
 * restarted, loses its data, has a lease revoked or its history compacted.
 */
class EtcdFaultTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration TTL = Duration.ofSeconds(10);

	@RegisterExtension
	final EtcdServer etcd = new EtcdServer();

	private final Closeables closeables = new Closeables();

	@AfterEach
	void closeAll() throws Exception {
		this.closeables.close();
	}

	private <T extends AutoCloseable> T track(T closeable) {
		return this.closeables.track(closeable);
	}

	private EtcdRegistry registry() {
		return track(EtcdRegistry.builder(this.etcd.address()).timeout(Duration.ofSeconds(2)).build());
	}

	private DefaultServer server(String tag) {
		DefaultServer server = track(DefaultServer.builder("greeter")
			.address("127.0.0.1:0")
			.registry(registry())
			.registerTtl(TTL)
			.registerInterval(Duration.ofSeconds(3))
			.build());
		server.handle(new Greeter(tag));
		server.start();
		return server;
	}

	private Client client() {
		RegistryCache cache = track(RegistryCache.builder(registry()).build());
		DefaultSelector selector = track(DefaultSelector.builder(cache).build());
		HttpTransportClient transport = track(HttpTransportClient.builder().build());
		DefaultClient client = track(DefaultClient.builder(selector, transport).build());
		return new Client(cache, client);
	}

	@Test
	void whenEtcdIsKilledForTwentySecondsThenNoCallFailsAndEverythingIsBackSoonAfterItsRestart() throws Exception {
		DefaultServer server = server("a");
		Client client = client();
		CallLoop loop = track(new CallLoop(client.client()));
		await().atMost(Duration.ofSeconds(5)).until(() -> loop.successes() > 10);
		ListAppender<ILoggingEvent> log = capture();
		AutoCloseable release = () -> ((Logger) LoggerFactory.getLogger("io.micro4j")).detachAppender(log);
		track(release);

		this.etcd.kill();
		Thread.sleep(20_000); // the outage itself, not a wait for a condition
		int duringOutage = loop.successes();
		this.etcd.restart();

		// the server's registry and the client's each log the outage once and its end once, nothing else warns
		String subject = "etcd registry at http://" + this.etcd.address();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(messages(log, Level.INFO, subject + " is reachable again after "))
				.hasSize(2));
		assertThat(messages(log, Level.WARN, subject + " is unreachable: ")).hasSize(2);
		assertThat(messages(log, Level.WARN, "")).hasSize(2);

		await().atMost(Duration.ofSeconds(5)).until(() -> keyExists(server.nodeId()));
		DefaultServer later = server("b");
		await().atMost(Duration.ofSeconds(5)).until(later::isRegistered);
		await().atMost(Duration.ofSeconds(1)).until(() -> nodeIds(client.cache().getService("greeter"))
			.contains(later.nodeId()));
		await().atMost(Duration.ofSeconds(5)).until(() -> loop.answers().contains("Hello John from b"));

		loop.close();
		assertThat(loop.failures()).as("failed calls").isEmpty();
		assertThat(duringOutage).as("calls answered before the restart").isGreaterThan(100);
		assertThat(nodeIds(registry().getService("greeter"))).containsExactlyInAnyOrder(server.nodeId(),
				later.nodeId());
	}

	@Test
	void whenEtcdRestartsWithoutItsDataThenTheRegistrationIsWrittenAgain() throws Exception {
		DefaultServer server = server("a");
		Client client = client();
		CallLoop loop = track(new CallLoop(client.client()));
		await().atMost(Duration.ofSeconds(5)).until(() -> loop.successes() > 10);

		this.etcd.restartEmpty();

		await().atMost(Duration.ofSeconds(5)).until(() -> keyExists(server.nodeId()));
		// the record really was gone for a moment, and clients may have seen that; calls work again
		int answered = loop.successes();
		await().atMost(Duration.ofSeconds(5)).until(() -> loop.successes() > answered + 10);
	}

	@Test
	void whenTheLeaseIsRevokedWithEtcdctlThenTheKeyIsBackWithinFiveSeconds() throws Exception {
		DefaultServer server = server("a");
		Client client = client();
		CallLoop loop = track(new CallLoop(client.client()));
		await().atMost(Duration.ofSeconds(5)).until(() -> loop.successes() > 10);
		long lease = lease(server.nodeId());

		this.etcd.etcdctl("lease", "revoke", Long.toHexString(lease));

		await().atMost(Duration.ofSeconds(5)).until(() -> keyExists(server.nodeId()) && lease(server.nodeId()) != lease);
		assertThat(this.etcd.etcdctl("lease", "timetolive", Long.toHexString(lease(server.nodeId()))))
			.contains("granted with TTL(10s)");
		// clients saw the delete, so calls made before the key was back may have found no node; they work again
		int answered = loop.successes();
		await().atMost(Duration.ofSeconds(5)).until(() -> loop.successes() > answered + 10);
	}

	@Test
	void whenEtcdIsCompactedToTheCurrentRevisionThenTheWatchStillDeliversTheNextChange() throws Exception {
		server("a");
		EtcdRegistry watching = registry();
		List<RegistryEvent> events = new CopyOnWriteArrayList<>();
		track(watching.watch("greeter", events::add));
		Client client = client();
		CallLoop loop = track(new CallLoop(client.client()));
		await().atMost(Duration.ofSeconds(5)).until(() -> loop.successes() > 10);

		long revision = JSON.readTree(this.etcd.etcdctl("get", "/micro/registry/", "--prefix", "-w", "json"))
			.get("header")
			.get("revision")
			.asLong();
		this.etcd.etcdctl("compact", Long.toString(revision));
		DefaultServer later = server("b");

		await().atMost(Duration.ofSeconds(5))
			.until(() -> events.stream()
				.anyMatch(event -> event.type() == RegistryEvent.Type.CREATE
						&& nodeIds(List.of(event.service())).contains(later.nodeId())));
		await().atMost(Duration.ofSeconds(5)).until(() -> loop.answers().contains("Hello John from b"));
		loop.close();
		assertThat(loop.failures()).as("failed calls").isEmpty();
	}

	private boolean keyExists(String nodeId) {
		return !this.etcd.etcdctl("get", "--keys-only", "/micro/registry/greeter/" + nodeId).isBlank();
	}

	private long lease(String nodeId) {
		JsonNode kvs = JSON.readTree(this.etcd.etcdctl("get", "/micro/registry/greeter/" + nodeId, "-w", "json"))
			.get("kvs");
		return (kvs == null || kvs.isEmpty()) ? 0 : kvs.get(0).get("lease").asLong();
	}

	private static List<String> nodeIds(List<Service> services) {
		return services.stream().flatMap(service -> service.nodes().stream()).map(Node::id).toList();
	}

	/** Captures what the io.micro4j loggers log from now on. */
	private static ListAppender<ILoggingEvent> capture() {
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		log.start();
		((Logger) LoggerFactory.getLogger("io.micro4j")).addAppender(log);
		return log;
	}

	private static List<String> messages(ListAppender<ILoggingEvent> log, Level level, String startingWith) {
		return List.copyOf(log.list)
			.stream()
			.filter(event -> event.getLevel() == level && event.getFormattedMessage().startsWith(startingWith))
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	private record Client(RegistryCache cache, DefaultClient client) {
	}

	/** Calls {@code Greeter.Hello} every 10 ms on its own thread, recording answers and failures. */
	private static final class CallLoop implements AutoCloseable {

		private final AtomicInteger successes = new AtomicInteger();

		private final List<String> answers = new CopyOnWriteArrayList<>();

		private final List<Throwable> failures = new CopyOnWriteArrayList<>();

		private final Thread thread;

		private volatile boolean running = true;

		CallLoop(DefaultClient client) {
			this.thread = new Thread(() -> {
				while (this.running) {
					try {
						Greeter.Response response = client.call(
								Request.of("greeter", "Greeter.Hello", new Greeter.Request("John")),
								Greeter.Response.class);
						this.successes.incrementAndGet();
						if (!this.answers.contains(response.msg())) {
							this.answers.add(response.msg());
						}
						Thread.sleep(10);
					}
					catch (InterruptedException ex) {
						return;
					}
					catch (RuntimeException ex) {
						this.failures.add(ex);
					}
				}
			}, "call-loop");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		int successes() {
			return this.successes.get();
		}

		List<String> answers() {
			return this.answers;
		}

		List<Throwable> failures() {
			return this.failures;
		}

		@Override
		public void close() throws InterruptedException {
			this.running = false;
			this.thread.join(10_000);
		}

	}

}
