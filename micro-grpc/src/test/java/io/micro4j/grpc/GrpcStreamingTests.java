package io.micro4j.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.client.ClientStream;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.CallContext;
import io.micro4j.metadata.Deadline;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.server.DefaultServer;
import io.micro4j.server.ServerStream;
import io.micro4j.transport.http.HttpTransportClient;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Streams between the micro client and micro handlers over gRPC (go-micro's {@code Stream}): bidirectional, server
 * and client streaming, errors, flow control in both directions, the observation of a stream's whole life, and a
 * clear error for a service whose nodes carry no streams.
 */
class GrpcStreamingTests {

	private final MemoryRegistry registry = new MemoryRegistry();

	private final List<DefaultServer> servers = new ArrayList<>();

	private final List<String> stopped = new CopyOnWriteArrayList<>();

	private RegistryCache cache;

	private DefaultSelector selector;

	private HttpTransportClient http;

	private GrpcTransportClient grpc;

	private DefaultClient client;

	public record Item(int n, String text) {
	}

	public record Range(int count) {
	}

	public record Total(long sum, int count) {
	}

	/** The streaming endpoints, as a go-micro handler would declare them. */
	public static class Streamer {

		final AtomicInteger serverSent = new AtomicInteger();

		final CountDownLatch releaseReader = new CountDownLatch(1);

		/** Bidirectional: echoes every message; "boom" ends the stream with a 400 after the echoes so far. */
		public void chat(ServerStream stream, Metadata metadata) {
			Item item;
			while ((item = stream.receive(Item.class)) != null) {
				if ("boom".equals(item.text())) {
					throw MicroException.badRequest("streamer.chat", "boom at %d", item.n());
				}
				stream.send(new Item(item.n(), item.text() + " from " + metadata.getOrNull("X-Tenant")));
			}
		}

		/** Server streaming: the request says how many items to send. */
		public void watch(Range range, ServerStream stream) {
			for (int i = 0; i < range.count(); i++) {
				stream.send(new Item(i, "item " + i));
				this.serverSent.incrementAndGet();
			}
		}

		/** Client streaming: sums the numbers until the client's end, answers once. */
		public void sum(ServerStream stream) {
			long sum = 0;
			int count = 0;
			Item item;
			while ((item = stream.receive(Item.class)) != null) {
				sum += item.n();
				count++;
			}
			stream.send(new Total(sum, count));
		}

		/** Reads nothing until released, then drains: the client must be held back meanwhile. */
		public void slowReader(ServerStream stream) throws InterruptedException {
			this.releaseReader.await(20, TimeUnit.SECONDS);
			int count = 0;
			while (stream.receive(Item.class) != null) {
				count++;
			}
			stream.send(new Total(0, count));
		}

		/** A unary endpoint next to the streams. */
		public Total ping(Range range) {
			return new Total(range.count(), 1);
		}

	}

	private final Streamer streamer = new Streamer();

	@BeforeEach
	void start() {
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				GrpcStreamingTests.this.stopped.add(context.getContextualName());
			}

		});
		this.cache = RegistryCache.builder(this.registry).build();
		this.selector = DefaultSelector.builder(this.cache).build();
		this.http = HttpTransportClient.builder().build();
		this.grpc = GrpcTransportClient.builder().build();
		this.client = DefaultClient.builder(this.selector, this.http)
			.transport("grpc", this.grpc)
			.registry(this.cache)
			.observationRegistry(observations)
			.build();
	}

	@AfterEach
	void stop() {
		this.streamer.releaseReader.countDown();
		this.client.close();
		this.servers.forEach(DefaultServer::stop);
		this.grpc.close();
		this.http.close();
		this.selector.close();
		this.cache.close();
		this.registry.close();
	}

	private DefaultServer serve(boolean grpc) {
		DefaultServer.Builder builder = DefaultServer.builder("streamer")
			.address("127.0.0.1:0")
			.registry(this.registry)
			.deregisterDelay(Duration.ofMillis(100));
		if (grpc) {
			builder.transport(GrpcTransportServer.builder().address("127.0.0.1:0").build());
		}
		DefaultServer server = builder.build();
		server.handle(this.streamer);
		server.start();
		this.servers.add(server);
		return server;
	}

	private ClientStream open(String endpoint) {
		return this.client.stream(new Request("streamer", endpoint, new Object(), null, Metadata.of("X-Tenant", "t1")));
	}

	@Test
	void streamingEndpointsAreRegisteredWithStreamMetadata() {
		DefaultServer server = serve(true);

		List<Endpoint> endpoints = server.service().endpoints();
		assertThat(endpoints).filteredOn((e) -> e.name().equals("Streamer.Chat"))
			.singleElement()
			.satisfies((e) -> assertThat(e.metadata()).containsEntry("stream", "true"));
		assertThat(endpoints).filteredOn((e) -> e.name().equals("Streamer.Watch"))
			.singleElement()
			.satisfies((e) -> assertThat(e.request().values()).extracting("name").containsExactly("count"));
		assertThat(endpoints).filteredOn((e) -> e.name().equals("Streamer.Ping"))
			.singleElement()
			.satisfies((e) -> assertThat(e.metadata()).doesNotContainKey("stream"));
	}

	@Test
	void aBidirectionalStreamOfTenThousandMessagesArrivesInOrder() throws Exception {
		serve(true);
		int total = 10_000;
		String text = "x".repeat(1024);

		try (ClientStream stream = open("Streamer.Chat")) {
			CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
				for (int i = 0; i < total; i++) {
					stream.send(new Item(i, text));
				}
				stream.closeSend();
			});
			for (int i = 0; i < total; i++) {
				Item echoed = stream.receive(Item.class);
				assertThat(echoed).isNotNull();
				assertThat(echoed.n()).isEqualTo(i);
				assertThat(echoed.text()).isEqualTo(text + " from t1");
				if (i == total / 2) {
					assertThat(this.stopped).as("observation of a stream in progress").isEmpty();
				}
			}
			assertThat(stream.receive(Item.class)).as("the end of the stream").isNull();
			sender.get(10, TimeUnit.SECONDS);
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.stopped).as("the client observation, stopped at the stream's end")
				.containsExactly("streamer.Streamer.Chat"));
	}

	@Test
	void serverStreamingSendsUntilTheHandlerReturns() {
		serve(true);

		try (ClientStream stream = open("Streamer.Watch")) {
			stream.send(new Range(5));
			stream.closeSend();
			List<String> received = new ArrayList<>();
			Item item;
			while ((item = stream.receive(Item.class)) != null) {
				received.add(item.text());
			}
			assertThat(received).containsExactly("item 0", "item 1", "item 2", "item 3", "item 4");
		}
	}

	@Test
	void clientStreamingAnswersOnceAfterTheClientsEnd() {
		serve(true);

		try (ClientStream stream = open("Streamer.Sum")) {
			for (int i = 1; i <= 100; i++) {
				stream.send(new Item(i, ""));
			}
			stream.closeSend();
			assertThat(stream.receive(Total.class)).isEqualTo(new Total(5050, 100));
			assertThat(stream.receive(Total.class)).isNull();
		}
	}

	@Test
	void aHandlerErrorEndsTheStreamWithTheGoMicroErrorAfterTheMessagesSent() {
		serve(true);

		try (ClientStream stream = open("Streamer.Chat")) {
			stream.send(new Item(1, "a"));
			stream.send(new Item(2, "boom"));
			assertThat(stream.receive(Item.class).text()).isEqualTo("a from t1");
			assertThatExceptionOfType(MicroException.class).isThrownBy(() -> stream.receive(Item.class))
				.satisfies((ex) -> {
					assertThat(ex.code()).isEqualTo(400);
					assertThat(ex.id()).isEqualTo("streamer.chat");
					assertThat(ex.detail()).isEqualTo("boom at 2");
				});
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.stopped).contains("streamer.Streamer.Chat"));
	}

	@Test
	void aSenderIsHeldBackWhileTheServerDoesNotRead() throws Exception {
		serve(true);
		String text = "y".repeat(4096);
		AtomicInteger sent = new AtomicInteger();

		try (ClientStream stream = open("Streamer.SlowReader")) {
			CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
				for (int i = 0; i < 10_000; i++) {
					stream.send(new Item(i, text));
					sent.incrementAndGet();
				}
				stream.closeSend();
			});
			Thread.sleep(1500);
			int whileBlocked = sent.get();
			// 10,000 messages of 4 KiB are 40 MiB: only the HTTP/2 windows' worth may be in flight
			assertThat(whileBlocked).as("messages sent while the server read nothing").isLessThan(1_000);
			this.streamer.releaseReader.countDown();
			sender.get(30, TimeUnit.SECONDS);
			assertThat(stream.receive(Total.class)).isEqualTo(new Total(0, 10_000));
		}
	}

	@Test
	void aServerIsHeldBackWhileTheClientDoesNotRead() throws Exception {
		serve(true);

		try (ClientStream stream = open("Streamer.Watch")) {
			stream.send(new Range(100_000));
			stream.closeSend();
			Thread.sleep(1500);
			int whileBlocked = this.streamer.serverSent.get();
			assertThat(whileBlocked).as("messages the handler sent while the client read nothing").isLessThan(5_000);
			int received = 0;
			while (received < 20_000 && stream.receive(Item.class) != null) {
				received++;
			}
			assertThat(this.streamer.serverSent.get()).isGreaterThan(whileBlocked);
		}
	}

	@Test
	void aStreamToAServiceWithOnlyMucpNodesFailsClearly() {
		serve(false);

		assertThatExceptionOfType(MicroException.class).isThrownBy(() -> open("Streamer.Chat"))
			.satisfies((ex) -> assertThat(ex.detail()).contains("carries no streams").contains("mucp"));
	}

	@Test
	void aStreamGoesToTheGrpcNodeOfAMixedFleet() {
		serve(false);
		serve(true);

		for (int i = 0; i < 5; i++) {
			try (ClientStream stream = open("Streamer.Sum")) {
				stream.send(new Item(7, ""));
				stream.closeSend();
				assertThat(stream.receive(Total.class)).isEqualTo(new Total(7, 1));
			}
		}
	}

	@Test
	void theCallersDeadlineBoundsTheStreamsLife() {
		serve(true);

		try (CallContext.Scope scope = CallContext.of(Metadata.empty(), Deadline.after(Duration.ofMillis(500)))
			.makeCurrent(); ClientStream stream = open("Streamer.Chat")) {
			stream.send(new Item(1, "a"));
			assertThat(stream.receive(Item.class)).isNotNull();
			long start = System.nanoTime();
			assertThatExceptionOfType(MicroException.class).isThrownBy(() -> stream.receive(Item.class))
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo(408));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}
	}

}
