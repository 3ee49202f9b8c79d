package io.micro4j.broker.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.micro4j.broker.BrokerCounters;
import io.micro4j.broker.BrokerException;
import io.micro4j.broker.Event;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.Subscription;
import io.micro4j.client.DefaultClient;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Node;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.RegistryCodec;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.transport.http.HttpTransportClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class HttpBrokerTests {

	/** The go-micro envelope of go-micro-observed.md. */
	private static final String GO_MICRO_ENVELOPE = "{\"Header\":{\"Content-Type\":\"application/json\","
			+ "\"Micro-ID\":\"014f4caf-43f0-4960-8eb8-24651de0c669\",\"Micro-Topic\":\"greeter.events\"},"
			+ "\"Body\":\"eyJpZCI6IjEiLCJtZXNzYWdlIjoiaGkgZnJvbSBnbyBjbGllbnQifQo=\"}";

	/** The http-broker subscription record of go-micro-observed.md. */
	private static final String GO_MICRO_RECORD = "{\"name\":\"micro.http.broker\",\"version\":\"ff.http.broadcast\","
			+ "\"metadata\":null,\"endpoints\":null,\"nodes\":[{\"metadata\":{\"broker\":\"http\",\"secure\":\"false\","
			+ "\"topic\":\"greeter.events\"},\"id\":\"greeter.events-71116568-3a5b-4d73-a72e-1eeec5cd233b\","
			+ "\"address\":\"127.0.0.1:35901\"}]}";

	private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final MemoryRegistry registry = new MemoryRegistry();

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
		this.registry.close();
	}

	private HttpBroker broker(HttpBroker.Builder builder) {
		HttpBroker broker = builder.build();
		this.resources.add(broker);
		return broker;
	}

	private HttpBroker broker() {
		return broker(HttpBroker.builder(this.registry).address("127.0.0.1:0"));
	}

	private Service onlyRecord() {
		List<Service> services = this.registry.getService(HttpBroker.SERVICE);
		assertThat(services).hasSize(1);
		return services.get(0);
	}

	@Test
	void whenSubscribedThenTheRegistryRecordIsByteForByteGoMicros() {
		HttpBroker broker = broker();

		broker.subscribe("greeter.events", event -> {
		}, SubscribeOptions.defaults());

		Service record = onlyRecord();
		Node node = record.nodes().get(0);
		assertThat(node.id()).matches("greeter\\.events-" + UUID_PATTERN);
		assertThat(node.address()).isEqualTo(broker.address()).startsWith("127.0.0.1:");
		String expected = GO_MICRO_RECORD.replace("greeter.events-71116568-3a5b-4d73-a72e-1eeec5cd233b", node.id())
			.replace("127.0.0.1:35901", node.address());
		assertThat(RegistryCodec.encode(record)).isEqualTo(expected);
	}

	@Test
	void whenSubscribedWithAQueueThenTheVersionIsTheQueueAndEachSubscriptionHasItsOwnNode() {
		HttpBroker broker = broker();

		broker.subscribe("jobs", event -> {
		}, SubscribeOptions.queue("workers"));
		broker.subscribe("jobs", event -> {
		}, SubscribeOptions.queue("workers"));

		Service record = onlyRecord();
		assertThat(record.version()).isEqualTo("workers");
		assertThat(record.nodes()).hasSize(2).extracting(Node::id).doesNotHaveDuplicates();
		assertThat(record.nodes()).allSatisfy(node -> assertThat(node.metadata()).containsEntry("topic", "jobs"));
	}

	@Test
	void whenSubscriptionOrBrokerIsClosedThenItsNodesAreDeregistered() {
		HttpBroker broker = broker();
		Subscription first = broker.subscribe("a", event -> {
		}, SubscribeOptions.defaults());
		broker.subscribe("b", event -> {
		}, SubscribeOptions.defaults());

		first.close();
		first.close();
		assertThat(onlyRecord().nodes()).extracting(node -> node.metadata().get("topic")).containsExactly("b");

		broker.close();
		broker.close();
		assertThat(this.registry.getService(HttpBroker.SERVICE)).isEmpty();
		assertThatThrownBy(() -> broker.publish("b", message("x"))).isInstanceOf(BrokerException.class)
			.hasMessageContaining("closed");
		assertThatThrownBy(() -> broker.subscribe("b", event -> {
		}, SubscribeOptions.defaults())).isInstanceOf(BrokerException.class);
	}

	@Test
	void whenGoMicroPostsItsEnvelopeThenTheHandlerSeesTheHeadersAndBodyAndGoMicroGets200() throws Exception {
		HttpBroker broker = broker();
		List<Event> events = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		broker.subscribe("greeter.events", event -> {
			events.add(event);
			threads.add(Thread.currentThread().getName());
		}, SubscribeOptions.defaults());
		Node node = onlyRecord().nodes().get(0);

		RawReply reply = post(node.address(), "/?id=" + node.id(), GO_MICRO_ENVELOPE);

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.headers()).containsEntry("Content-Length", "0");
		await().atMost(WAIT).until(() -> events.size() == 1);
		Event event = events.get(0);
		assertThat(event.topic()).isEqualTo("greeter.events");
		assertThat(event.message().headers().asMap()).containsOnlyKeys("Content-Type", "Micro-Id", "Micro-Topic")
			.containsEntry("Micro-Id", "014f4caf-43f0-4960-8eb8-24651de0c669")
			.containsEntry("Micro-Topic", "greeter.events")
			.containsEntry("Content-Type", "application/json");
		assertThat(event.message().headers().get("Micro-ID")).contains("014f4caf-43f0-4960-8eb8-24651de0c669");
		assertThat(new String(event.message().body(), StandardCharsets.UTF_8))
			.isEqualTo("{\"id\":\"1\",\"message\":\"hi from go client\"}\n");
		assertThat(threads.get(0)).startsWith("micro-http-broker-").contains("-handler-");
	}

	@Test
	void whenTheBodyIsNotAnEnvelopeThenTheAnswerIsA400GoMicroErrorAndTheBrokerKeepsServing() throws Exception {
		HttpBroker broker = broker();
		List<Event> events = new CopyOnWriteArrayList<>();
		broker.subscribe("greeter.events", events::add, SubscribeOptions.defaults());
		Node node = onlyRecord().nodes().get(0);

		RawReply bad = post(node.address(), "/?id=" + node.id(), "{\"Header\":[]}");
		RawReply noId = post(node.address(), "/", GO_MICRO_ENVELOPE);
		RawReply unknown = post(node.address(), "/?id=greeter.events-nobody", GO_MICRO_ENVELOPE);
		RawReply good = post(node.address(), "/?id=" + node.id(), GO_MICRO_ENVELOPE);

		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.body()).startsWith("{\"id\":\"go.micro.broker\",\"code\":400,\"detail\":\"broker envelope Header")
			.endsWith("\"status\":\"Bad Request\"}");
		assertThat(noId.status()).isEqualTo(400);
		assertThat(noId.body()).contains("no subscriber id");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(good.status()).isEqualTo(200);
		await().atMost(WAIT).until(() -> events.size() == 1);
	}

	@Test
	void whenJavaPublishesThroughTheClientThenTheSubscriberReceivesGoMicrosRequestAndEnvelope() throws Exception {
		List<Captured> captured = new CopyOnWriteArrayList<>();
		HttpServer raw = rawSubscriber(0, captured, 200);
		String address = "127.0.0.1:" + raw.getAddress().getPort();
		String nodeId = "greeter.events-71116568-3a5b-4d73-a72e-1eeec5cd233b";
		this.registry.register(goSubscriber(nodeId, address), Duration.ZERO);
		HttpBroker broker = broker();
		try (RegistryCache cache = RegistryCache.builder(this.registry).build();
				HttpTransportClient transport = HttpTransportClient.builder().build()) {
			DefaultClient client = DefaultClient.builder(DefaultSelector.builder(cache).build(), transport)
				.broker(broker)
				.build();

			client.publish("greeter.events", new GreeterEvent("1", "hi from go client"), Metadata.empty());

			await().atMost(WAIT).until(() -> captured.size() == 1);
		}
		Captured request = captured.get(0);
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.target()).isEqualTo("/?id=" + nodeId);
		assertThat(request.headers()).containsEntry("Content-type", "application/json");
		String envelope = request.body();
		String id = envelope.replaceAll(".*\"Micro-ID\":\"(" + UUID_PATTERN + ")\".*", "$1");
		assertThat(envelope).isEqualTo(GO_MICRO_ENVELOPE.replace("014f4caf-43f0-4960-8eb8-24651de0c669", id));
	}

	@Test
	void whenTheSubscriberIsDownForAMomentThenTheOutboxDeliversOnceItIsBack() throws Exception {
		int port;
		try (ServerSocket reserved = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = reserved.getLocalPort();
		}
		this.registry.register(goSubscriber("events-down", "127.0.0.1:" + port), Duration.ZERO);
		HttpBroker broker = broker(HttpBroker.builder(this.registry)
			.address("127.0.0.1:0")
			.retryBackoff(Duration.ofMillis(20))
			.maxRetryBackoff(Duration.ofMillis(100)));

		broker.publish("greeter.events", message("while-down"));

		await().atMost(WAIT).until(() -> broker.retriedDeliveries() >= 2);
		await().atMost(WAIT).until(() -> broker.pendingRetries() == 1);
		assertThat(broker.counters().get(BrokerCounters.DELIVERIES_RETRIED).getAsLong()).isGreaterThanOrEqualTo(2);
		List<Captured> captured = new CopyOnWriteArrayList<>();
		rawSubscriber(port, captured, 200);
		await().atMost(WAIT).until(() -> captured.size() == 1);
		assertThat(captured.get(0).body()).contains("\"Micro-ID\":\"while-down\"");
		await().atMost(WAIT).until(() -> broker.pendingRetries() == 0);
		assertThat(broker.droppedMessages()).isZero();
	}

	@Test
	void whenTheSubscriberAnswers503ThenTheMessageIsRetriedUntilItIsAccepted() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		List<Captured> captured = new CopyOnWriteArrayList<>();
		HttpServer raw = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		raw.createContext("/", exchange -> {
			int status = (calls.incrementAndGet() < 3) ? 503 : 200;
			captured.add(Captured.of(exchange));
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		raw.start();
		this.resources.add(() -> raw.stop(0));
		this.registry.register(goSubscriber("events-busy", "127.0.0.1:" + raw.getAddress().getPort()), Duration.ZERO);
		HttpBroker broker = broker(HttpBroker.builder(this.registry).retryBackoff(Duration.ofMillis(10)));

		broker.publish("greeter.events", message("busy"));

		await().atMost(WAIT).until(() -> calls.get() == 3 && broker.pendingRetries() == 0);
		assertThat(broker.retriedDeliveries()).isEqualTo(2);
		assertThat(captured).extracting(Captured::body).allMatch(body -> body.contains("\"Micro-ID\":\"busy\""));
	}

	@Test
	void whenTheOutboxIsFullThenTheOldestIsDroppedAndCounted() throws Exception {
		int port;
		try (ServerSocket reserved = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = reserved.getLocalPort();
		}
		this.registry.register(goSubscriber("events-gone", "127.0.0.1:" + port), Duration.ZERO);
		HttpBroker broker = broker(HttpBroker.builder(this.registry)
			.outboxSize(2)
			.retryBackoff(Duration.ofSeconds(10))
			.maxRetryBackoff(Duration.ofSeconds(10)));

		for (int i = 0; i < 5; i++) {
			broker.publish("greeter.events", message("m" + i));
		}

		await().atMost(WAIT).until(() -> broker.droppedMessages() == 3);
		assertThat(broker.counters().get(BrokerCounters.MESSAGES_DROPPED).getAsLong()).isEqualTo(3);
		assertThat(broker.pendingRetries()).isEqualTo(2);
	}

	@Test
	void whenTheRetryTimeoutPassesThenTheMessageIsGivenUp() throws Exception {
		int port;
		try (ServerSocket reserved = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = reserved.getLocalPort();
		}
		this.registry.register(goSubscriber("events-dead", "127.0.0.1:" + port), Duration.ZERO);
		HttpBroker broker = broker(HttpBroker.builder(this.registry)
			.retryBackoff(Duration.ofMillis(20))
			.retryTimeout(Duration.ofMillis(200)));

		broker.publish("greeter.events", message("late"));

		await().atMost(WAIT).until(() -> broker.droppedMessages() == 1);
		assertThat(broker.pendingRetries()).isZero();
	}

	@Test
	void whenTheSubscriberDeregistersThenItsPendingRetriesAreDropped() throws Exception {
		int port;
		try (ServerSocket reserved = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = reserved.getLocalPort();
		}
		Service gone = goSubscriber("events-leaving", "127.0.0.1:" + port);
		this.registry.register(gone, Duration.ZERO);
		HttpBroker broker = broker(HttpBroker.builder(this.registry).retryBackoff(Duration.ofMillis(200)));
		broker.publish("greeter.events", message("orphan"));
		await().atMost(WAIT).until(() -> broker.pendingRetries() == 1);

		this.registry.deregister(gone);

		await().atMost(WAIT).until(() -> broker.droppedMessages() == 1 && broker.pendingRetries() == 0);
	}

	@Test
	void whenAHandlerThrowsThenTheFailureIsCountedAndTheSubscriptionKeepsReceiving() {
		HttpBroker broker = broker();
		AtomicInteger calls = new AtomicInteger();
		broker.subscribe("failing", event -> {
			calls.incrementAndGet();
			throw new IllegalStateException("handler failed on purpose");
		}, SubscribeOptions.defaults());
		await().atMost(WAIT).until(() -> broker.subscriberNodes("failing").size() == 1);

		broker.publish("failing", message("1"));
		broker.publish("failing", message("2"));

		await().atMost(WAIT).until(() -> broker.failedDeliveries() == 2);
		assertThat(calls.get()).isEqualTo(2);
		assertThat(broker.retriedDeliveries()).isZero();
		assertThat(broker.counters()).containsOnlyKeys(BrokerCounters.DELIVERIES_FAILED,
				BrokerCounters.DELIVERIES_RETRIED, BrokerCounters.MESSAGES_DROPPED);
		assertThat(broker.counters().get(BrokerCounters.DELIVERIES_FAILED).getAsLong()).isEqualTo(2);
		assertThat(broker.counters().get(BrokerCounters.DELIVERIES_RETRIED).getAsLong()).isZero();
	}

	@Test
	void whenNobodySubscribedThenPublishingDropsTheMessageWithoutRetrying() {
		HttpBroker broker = broker();

		broker.publish("nobody", message("1"));

		assertThat(broker.pendingRetries()).isZero();
		assertThat(broker.address()).as("a publisher opens no port").isEmpty();
	}

	@Test
	void whenAdvertiseIsSetThenTheNodeRegistersThatAddress() {
		HttpBroker broker = broker(HttpBroker.builder(this.registry).address("127.0.0.1:0").advertise("10.1.2.3:4567"));

		broker.subscribe("t", event -> {
		}, SubscribeOptions.defaults());

		assertThat(onlyRecord().nodes().get(0).address()).isEqualTo("10.1.2.3:4567");
		assertThat(broker.address()).isEqualTo("10.1.2.3:4567");
	}

	@Test
	void whenBuilderValuesAreOutOfRangeThenTheMessageSaysWhatIsExpected() {
		HttpBroker.Builder builder = HttpBroker.builder(this.registry);

		assertThatIllegalArgumentException().isThrownBy(() -> builder.outboxSize(0))
			.withMessage("outboxSize: 0 (expected: > 0)");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.maxInFlight(-1))
			.withMessage("maxInFlight: -1 (expected: > 0)");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.retryBackoff(Duration.ZERO))
			.withMessage("retryBackoff: PT0S (expected: > 0)");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.address("nope"));
		assertThatIllegalArgumentException().isThrownBy(() -> builder.retryBackoff(Duration.ofSeconds(10)).build())
			.withMessage("maxRetryBackoff: PT5S (expected: >= retryBackoff PT10S)");
	}

	@Test
	void whenTheTargetHasAnEncodedIdThenItIsDecoded() {
		assertThat(HttpBroker.queryParameter("/?id=greeter.events-1", "id")).isEqualTo("greeter.events-1");
		assertThat(HttpBroker.queryParameter("/?x=1&id=a%2Fb+c", "id")).isEqualTo("a/b c");
		assertThat(HttpBroker.queryParameter("/", "id")).isNull();
		assertThat(HttpBroker.queryParameter("/?other=1", "id")).isNull();
	}

	@Test
	void whenFlushedThenEveryDeliveryHasBeenAnsweredOrFlushSaysOtherwise() throws Exception {
		List<Captured> captured = new CopyOnWriteArrayList<>();
		HttpServer raw = rawSubscriber(0, captured, 200);
		this.registry.register(goSubscriber("greeter.events-1", "127.0.0.1:" + raw.getAddress().getPort()),
				Duration.ZERO);
		HttpBroker broker = broker();

		broker.publish("greeter.events", message("m1"));

		assertThat(broker.flush(WAIT)).isTrue();
		assertThat(captured).hasSize(1);

		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		this.registry.register(goSubscriber("greeter.events-2", "127.0.0.1:" + closedPort), Duration.ZERO);
		await().atMost(WAIT).until(() -> broker.subscriberNodes("greeter.events").size() == 2);

		broker.publish("greeter.events", message("m2"));

		// the delivery to the closed port waits in the outbox for its retry
		assertThat(broker.flush(Duration.ofMillis(300))).isFalse();
		assertThat(captured).hasSize(2);
		await().atMost(WAIT).until(() -> broker.pendingRetries() == 1);
	}

	private static Message message(String id) {
		return new Message(Metadata.of("Content-Type", "application/json", "Micro-Id", id), "{}".getBytes());
	}

	/** A subscriber record as go-micro writes it, for a node this test runs itself. */
	private static Service goSubscriber(String nodeId, String address) {
		return Service.of(HttpBroker.SERVICE, HttpBroker.BROADCAST_VERSION, List.of(new Node(nodeId, address,
				Map.of("broker", "http", "secure", "false", "topic", "greeter.events"))));
	}

	private HttpServer rawSubscriber(int port, List<Captured> captured, int status) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		server.createContext("/", exchange -> {
			captured.add(Captured.of(exchange));
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		server.start();
		this.resources.add(() -> server.stop(0));
		return server;
	}

	/** Writes a request as go-micro's publisher does and reads the answer. */
	private static RawReply post(String address, String target, String body) throws IOException {
		int colon = address.lastIndexOf(':');
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		String head = "POST " + target + " HTTP/1.1\r\nHost: " + address + "\r\nUser-Agent: Go-http-client/1.1\r\n"
				+ "Content-Length: " + bytes.length + "\r\nContent-Type: application/json\r\n"
				+ "Accept-Encoding: gzip\r\n\r\n";
		try (Socket socket = new Socket(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.write(bytes);
			out.flush();
			InputStream in = socket.getInputStream();
			String status = line(in);
			Map<String, String> headers = new LinkedHashMap<>();
			for (String line = line(in); !line.isEmpty(); line = line(in)) {
				int sep = line.indexOf(':');
				headers.put(line.substring(0, sep), line.substring(sep + 1).trim());
			}
			int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
			return new RawReply(Integer.parseInt(status.split(" ")[1]), headers,
					new String(in.readNBytes(length), StandardCharsets.UTF_8));
		}
	}

	private static String line(InputStream in) throws IOException {
		StringBuilder sb = new StringBuilder();
		for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
			if (b != '\r') {
				sb.append((char) b);
			}
		}
		return sb.toString();
	}

	/** The event of go-micro's example subscriber. */
	record GreeterEvent(String id, String message) {
	}

	private record RawReply(int status, Map<String, String> headers, String body) {
	}

	private record Captured(String method, String target, Map<String, String> headers, String body) {

		static Captured of(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
			Map<String, String> headers = new LinkedHashMap<>();
			exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			return new Captured(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body);
		}

	}

}
