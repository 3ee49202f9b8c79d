package io.micro4j.broker.nats;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micro4j.broker.BrokerCounters;
import io.micro4j.broker.BrokerException;
import io.micro4j.broker.Event;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.client.DefaultClient;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.test.nats.NatsServer;
import io.micro4j.transport.http.HttpTransportClient;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class NatsBrokerTests {

	@RegisterExtension
	static final NatsServer nats = new NatsServer();

	/** The envelope go-micro published on NATS (go-micro-observed.md). */
	private static final String GO_MICRO_ENVELOPE = "{\"Header\":{\"Content-Type\":\"application/json\","
			+ "\"Micro-ID\":\"c703c348-209a-4ead-bdd0-3d9169c11b72\",\"Micro-Topic\":\"greeter.events\"},"
			+ "\"Body\":\"eyJpZCI6IjEiLCJtZXNzYWdlIjoiaGkgZnJvbSBnbyBjbGllbnQifQo=\"}";

	private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private NatsBroker broker(String url) {
		NatsBroker broker = NatsBroker.builder().servers(url).reconnectWait(Duration.ofMillis(50)).build();
		this.resources.add(broker);
		return broker;
	}

	private Connection raw() throws Exception {
		Connection connection = Nats.connect(nats.url());
		this.resources.add(connection::close);
		return connection;
	}

	@Test
	void whenGoMicroPublishesItsEnvelopeOnNatsThenTheHandlerSeesItsHeadersAndBody() throws Exception {
		NatsBroker broker = broker(nats.url());
		List<Event> events = new CopyOnWriteArrayList<>();
		broker.subscribe("greeter.events", events::add, SubscribeOptions.defaults());

		Connection go = raw();
		go.publish("greeter.events", GO_MICRO_ENVELOPE.getBytes(StandardCharsets.UTF_8));
		go.flush(WAIT);

		await().atMost(WAIT).until(() -> events.size() == 1);
		Event event = events.get(0);
		assertThat(event.topic()).isEqualTo("greeter.events");
		assertThat(event.message().headers().asMap()).containsOnlyKeys("Content-Type", "Micro-Id", "Micro-Topic")
			.containsEntry("Content-Type", "application/json")
			.containsEntry("Micro-Id", "c703c348-209a-4ead-bdd0-3d9169c11b72")
			.containsEntry("Micro-Topic", "greeter.events");
		assertThat(event.message().headers().get("Micro-ID")).contains("c703c348-209a-4ead-bdd0-3d9169c11b72");
		assertThat(new String(event.message().body(), StandardCharsets.UTF_8))
			.isEqualTo("{\"id\":\"1\",\"message\":\"hi from go client\"}\n");
	}

	@Test
	void whenJavaPublishesThroughTheClientThenNatsCarriesGoMicrosEnvelopeOnTheTopicSubject() throws Exception {
		Connection go = raw();
		Subscription capture = go.subscribe("greeter.events");
		go.flush(WAIT);
		NatsBroker broker = broker(nats.url());
		try (MemoryRegistry registry = new MemoryRegistry();
				HttpTransportClient transport = HttpTransportClient.builder().build()) {
			DefaultClient client = DefaultClient.builder(DefaultSelector.builder(registry).build(), transport)
				.broker(broker)
				.build();

			client.publish("greeter.events", new GreeterEvent("1", "hi from go client"), Metadata.empty());

			io.nats.client.Message received = capture.nextMessage(WAIT);
			assertThat(received).isNotNull();
			assertThat(received.getSubject()).isEqualTo("greeter.events");
			String envelope = new String(received.getData(), StandardCharsets.UTF_8);
			String id = envelope.replaceAll(".*\"Micro-ID\":\"(" + UUID_PATTERN + ")\".*", "$1");
			assertThat(envelope).isEqualTo(GO_MICRO_ENVELOPE.replace("c703c348-209a-4ead-bdd0-3d9169c11b72", id));
			assertThat(received.getData()).hasSize(193);
		}
	}

	@Test
	void whenAPayloadIsNotAnEnvelopeThenItIsCountedAndTheSubscriptionKeepsReceiving() throws Exception {
		NatsBroker broker = broker(nats.url());
		List<Event> events = new CopyOnWriteArrayList<>();
		broker.subscribe("mixed", events::add, SubscribeOptions.defaults());
		Connection other = raw();

		other.publish("mixed", "plain text".getBytes(StandardCharsets.UTF_8));
		other.publish("mixed", "{\"Body\":42}".getBytes(StandardCharsets.UTF_8));
		other.publish("mixed", GO_MICRO_ENVELOPE.getBytes(StandardCharsets.UTF_8));
		other.flush(WAIT);

		await().atMost(WAIT).until(() -> events.size() == 1);
		assertThat(broker.invalidMessages()).isEqualTo(2);
		assertThat(broker.counters().get(BrokerCounters.MESSAGES_INVALID).getAsLong()).isEqualTo(2);
	}

	@Test
	void whenAHandlerThrowsThenTheFailureIsCountedAndLaterMessagesArrive() {
		NatsBroker broker = broker(nats.url());
		List<String> seen = new CopyOnWriteArrayList<>();
		broker.subscribe("failing", event -> {
			seen.add(event.message().headers().get("Micro-Id").orElseThrow());
			throw new IllegalStateException("handler failed on purpose");
		}, SubscribeOptions.defaults());

		broker.publish("failing", message("1"));
		broker.publish("failing", message("2"));

		await().atMost(WAIT).until(() -> broker.failedDeliveries() == 2);
		assertThat(seen).containsExactly("1", "2");
		assertThat(broker.counters()).containsOnlyKeys(BrokerCounters.DELIVERIES_FAILED, BrokerCounters.MESSAGES_INVALID);
		assertThat(broker.counters().get(BrokerCounters.DELIVERIES_FAILED).getAsLong()).isEqualTo(2);
	}

	@Test
	void whenOneHandlerBlocksThenAnotherSubscriptionStillReceives() throws Exception {
		NatsBroker broker = broker(nats.url());
		CountDownLatch release = new CountDownLatch(1);
		List<String> threads = new CopyOnWriteArrayList<>();
		broker.subscribe("slow", event -> {
			threads.add(Thread.currentThread().getName());
			release.await(10, TimeUnit.SECONDS);
		}, SubscribeOptions.defaults());
		List<Event> fast = new CopyOnWriteArrayList<>();
		broker.subscribe("fast", event -> {
			threads.add(Thread.currentThread().getName());
			fast.add(event);
		}, SubscribeOptions.defaults());

		broker.publish("slow", message("blocking"));
		await().atMost(WAIT).until(() -> threads.size() == 1);
		broker.publish("fast", message("through"));

		await().atMost(WAIT).until(() -> fast.size() == 1);
		release.countDown();
		assertThat(threads).hasSize(2).doesNotHaveDuplicates();
	}

	@Test
	void whenTheServerRestartsThenTheBrokerReconnectsAndTheSubscriptionReceivesAgain() {
		try (NatsServer own = new NatsServer()) {
			own.start();
			NatsBroker broker = broker(own.url());
			List<Event> events = new CopyOnWriteArrayList<>();
			broker.subscribe("restart", events::add, SubscribeOptions.defaults());

			own.stop();
			await().atMost(WAIT).until(() -> !broker.isConnected());
			own.start();
			await().atMost(WAIT).until(broker::isConnected);
			broker.publish("restart", message("after"));

			await().atMost(WAIT).until(() -> events.size() == 1);
			assertThat(events.get(0).message().headers().get("Micro-Id")).contains("after");
		}
	}

	@Test
	void whenNoServerAnswersThenBuildingFailsNamingTheServer() {
		try (NatsServer never = new NatsServer()) {
			never.start();
			String url = never.url();
			never.stop();

			assertThatThrownBy(() -> NatsBroker.builder().servers(url).connectionTimeout(Duration.ofMillis(500)).build())
				.isInstanceOf(BrokerException.class)
				.hasMessageContaining("cannot connect to NATS at " + url);
		}
	}

	@Test
	void whenTheBrokerIsClosedThenPublishingAndSubscribingFail() {
		NatsBroker broker = broker(nats.url());
		broker.close();
		broker.close();

		assertThatThrownBy(() -> broker.publish("t", message("1"))).isInstanceOf(BrokerException.class)
			.hasMessageContaining("closed");
		assertThatThrownBy(() -> broker.subscribe("t", event -> {
		}, SubscribeOptions.defaults())).isInstanceOf(BrokerException.class);
	}

	@Test
	void whenTheTopicIsNotAValidSubjectThenPublishingFailsWithABrokerException() {
		NatsBroker broker = broker(nats.url());

		assertThatThrownBy(() -> broker.publish("has space", message("1"))).isInstanceOf(BrokerException.class)
			.hasMessageContaining("has space");
	}

	@Test
	void whenBuilderValuesAreOutOfRangeThenTheMessageSaysWhatIsExpected() {
		NatsBroker.Builder builder = NatsBroker.builder();

		assertThatIllegalArgumentException().isThrownBy(() -> builder.servers(List.of()))
			.withMessage("servers: [] (expected: at least one URL, none blank)");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.maxReconnects(-2))
			.withMessage("maxReconnects: -2 (expected: >= -1)");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.connectionTimeout(Duration.ZERO))
			.withMessage("connectionTimeout: PT0S (expected: > 0)");
	}

	private static Message message(String id) {
		return new Message(Metadata.of("Content-Type", "application/json", "Micro-Id", id), "{}".getBytes());
	}

	/** The event of go-micro's example subscriber. */
	record GreeterEvent(String id, String message) {
	}

}
