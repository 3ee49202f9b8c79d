package io.micro4j.test.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerHandler;
import io.micro4j.broker.Event;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.Subscription;
import io.micro4j.metadata.Metadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

/**
 * The checks every {@link Broker} implementation must pass. Extend it, implement {@link #createBroker()}, and
 * override the hooks where the broker needs more time or a settling step:
 *
 * <pre class="code">
 * class NatsBrokerContractTests extends BrokerContractTests {
 *
 *     &#64;Override
 *     protected Broker createBroker() {
 *         return NatsBroker.builder(nats.url()).build();
 *     }
 *
 * }
 * </pre>
 *
 * Every test uses a topic of its own (see {@link #uniqueTopic()}). Only the public {@link Broker} interface is used.
 */
public abstract class BrokerContractTests {

	private final List<AutoCloseable> resources = new ArrayList<>();

	/** The broker under test, created before each test and closed after it. */
	protected Broker broker;

	/** A new broker; called once before each test (and by {@link #newBroker()}). */
	protected abstract Broker createBroker();

	/** How many messages the volume tests publish; 1,000 by default. */
	protected int messageCount() {
		return 1000;
	}

	/** How long all messages of a test may take to arrive; 30 s by default. */
	protected Duration deliveryTimeout() {
		return Duration.ofSeconds(30);
	}

	/**
	 * How long a test watches for deliveries that must not happen (after an unsubscribe, beyond the expected
	 * count); 500 ms by default.
	 */
	protected Duration quietPeriod() {
		return Duration.ofMillis(500);
	}

	/**
	 * Called after the subscriptions of a test are made and before it publishes, for brokers whose subscriptions
	 * take effect asynchronously (a flush, a registry round trip). Does nothing by default.
	 */
	protected void awaitSubscriptions(Broker broker, String topic) {
	}

	/** A broker created with {@link #createBroker()} and closed after the test. */
	protected final Broker newBroker() {
		Broker created = createBroker();
		this.resources.add(created);
		return created;
	}

	/** A topic no other test uses. */
	protected static String uniqueTopic() {
		return "contract.events." + UUID.randomUUID().toString().substring(0, 8);
	}

	@BeforeEach
	void openBroker() {
		this.broker = newBroker();
	}

	@AfterEach
	void closeResources() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
		this.resources.clear();
	}

	@Test
	void whenTwoSubscribersListenWithoutAQueueThenEachReceivesEveryMessage() {
		String topic = uniqueTopic();
		Received first = subscribe(topic, SubscribeOptions.defaults());
		Received second = subscribe(topic, SubscribeOptions.defaults());
		awaitSubscriptions(this.broker, topic);

		publishNumbered(topic, messageCount());

		await().atMost(deliveryTimeout()).until(() -> first.count() == messageCount() && second.count() == messageCount());
		assertThat(first.distinctIds()).hasSize(messageCount());
		assertThat(second.distinctIds()).hasSize(messageCount());
		await().during(quietPeriod()).atMost(deliveryTimeout())
			.until(() -> first.count() == messageCount() && second.count() == messageCount());
	}

	@Test
	void whenTwoSubscribersShareAQueueThenEachMessageIsHandledOnceAndBothGetAShare() {
		String topic = uniqueTopic();
		Received first = subscribe(topic, SubscribeOptions.queue("workers"));
		Received second = subscribe(topic, SubscribeOptions.queue("workers"));
		awaitSubscriptions(this.broker, topic);

		publishNumbered(topic, messageCount());

		await().atMost(deliveryTimeout()).until(() -> first.count() + second.count() == messageCount());
		await().during(quietPeriod()).atMost(deliveryTimeout())
			.until(() -> first.count() + second.count() == messageCount());
		Set<String> ids = ConcurrentHashMap.newKeySet();
		ids.addAll(first.distinctIds());
		ids.addAll(second.distinctIds());
		assertThat(ids).hasSize(messageCount());
		assertThat(first.count()).isPositive();
		assertThat(second.count()).isPositive();
	}

	@Test
	void whenQueueGroupAndPlainSubscriberShareATopicThenThePlainOneGetsEverythingAndTheGroupEachMessageOnce() {
		String topic = uniqueTopic();
		Received plain = subscribe(topic, SubscribeOptions.defaults());
		Received first = subscribe(topic, SubscribeOptions.queue("workers"));
		Received second = subscribe(topic, SubscribeOptions.queue("workers"));
		awaitSubscriptions(this.broker, topic);

		publishNumbered(topic, 100);

		await().atMost(deliveryTimeout())
			.until(() -> plain.count() == 100 && first.count() + second.count() == 100);
		await().during(quietPeriod()).atMost(deliveryTimeout())
			.until(() -> plain.count() == 100 && first.count() + second.count() == 100);
	}

	@Test
	void whenMessageIsPublishedThenTopicHeadersAndBodyArriveIntact() {
		String topic = uniqueTopic();
		Received received = subscribe(topic, SubscribeOptions.defaults());
		awaitSubscriptions(this.broker, topic);
		byte[] body = new byte[512];
		for (int i = 0; i < body.length; i++) {
			body[i] = (byte) i;
		}
		Metadata headers = Metadata.of("Content-Type", "application/octet-stream", "Micro-Id",
				UUID.randomUUID().toString(), "Micro-Topic", topic, "X-Tenant", "acme", "Traceparent",
				"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

		this.broker.publish(topic, new Message(headers, body));

		await().atMost(deliveryTimeout()).until(() -> received.count() == 1);
		Event event = received.events().get(0);
		assertThat(event.topic()).isEqualTo(topic);
		assertThat(event.message().body()).isEqualTo(body);
		headers.forEach((key, value) -> assertThat(event.message().headers().get(key)).as(key).contains(value));
	}

	@Test
	void whenBodyIsJsonTextThenItArrivesByteForByte() {
		String topic = uniqueTopic();
		Received received = subscribe(topic, SubscribeOptions.defaults());
		awaitSubscriptions(this.broker, topic);
		byte[] body = "{\"id\":\"1\",\"message\":\"hi from java \u00e9\"}\n".getBytes(StandardCharsets.UTF_8);

		this.broker.publish(topic, new Message(Metadata.of("Content-Type", "application/json"), body));

		await().atMost(deliveryTimeout()).until(() -> received.count() == 1);
		assertThat(received.events().get(0).message().body()).isEqualTo(body);
		assertThat(received.events().get(0).message().headers().get("content-type")).contains("application/json");
	}

	@Test
	void whenSubscriptionIsClosedThenItReceivesNoMoreMessages() {
		String topic = uniqueTopic();
		Received leaving = new Received();
		Subscription subscription = this.broker.subscribe(topic, leaving, SubscribeOptions.defaults());
		Received staying = subscribe(topic, SubscribeOptions.defaults());
		awaitSubscriptions(this.broker, topic);
		this.broker.publish(topic, numbered(topic, 1));
		await().atMost(deliveryTimeout()).until(() -> leaving.count() == 1 && staying.count() == 1);

		subscription.close();
		subscription.close();
		this.broker.publish(topic, numbered(topic, 2));

		await().atMost(deliveryTimeout()).until(() -> staying.count() == 2);
		await().during(quietPeriod()).atMost(deliveryTimeout()).until(() -> leaving.count() == 1);
		assertThat(subscription.topic()).isEqualTo(topic);
	}

	@Test
	void whenHandlerThrowsThenTheSubscriptionKeepsReceiving() {
		String topic = uniqueTopic();
		AtomicInteger calls = new AtomicInteger();
		Received received = new Received();
		this.resources.add(this.broker.subscribe(topic, event -> {
			calls.incrementAndGet();
			received.handle(event);
			throw new IllegalStateException("handler failed on purpose");
		}, SubscribeOptions.defaults()));
		awaitSubscriptions(this.broker, topic);

		publishNumbered(topic, 5);

		await().atMost(deliveryTimeout()).until(() -> received.distinctIds().size() == 5);
		assertThat(calls.get()).isGreaterThanOrEqualTo(5);
	}

	@Test
	void whenMessageIsPublishedToAnotherTopicThenTheSubscriberDoesNotReceiveIt() {
		String topic = uniqueTopic();
		String other = uniqueTopic();
		Received received = subscribe(topic, SubscribeOptions.defaults());
		Received otherReceived = subscribe(other, SubscribeOptions.defaults());
		awaitSubscriptions(this.broker, topic);
		awaitSubscriptions(this.broker, other);

		this.broker.publish(other, numbered(other, 1));

		await().atMost(deliveryTimeout()).until(() -> otherReceived.count() == 1);
		await().during(quietPeriod()).atMost(deliveryTimeout()).until(() -> received.count() == 0);
	}

	@Test
	void whenSubscribedWithAQueueThenTheSubscriptionReportsTopicAndQueue() {
		String topic = uniqueTopic();

		Subscription subscription = this.broker.subscribe(topic, new Received(), SubscribeOptions.queue("workers"));
		this.resources.add(subscription);

		assertThat(subscription.topic()).isEqualTo(topic);
		assertThat(subscription.queue()).contains("workers");
	}

	@Test
	void whenBrokerIsClosedTwiceThenNothingFails() {
		Broker other = newBroker();

		assertThatCode(() -> {
			other.close();
			other.close();
		}).doesNotThrowAnyException();
	}

	@Test
	void whenBrokerHasANameThenItIsNotBlank() {
		assertThat(this.broker.name()).isNotBlank();
	}

	/** Subscribes a collecting handler to {@code topic} for the rest of the test. */
	protected final Received subscribe(String topic, SubscribeOptions options) {
		Received received = new Received();
		this.resources.add(this.broker.subscribe(topic, received, options));
		return received;
	}

	/** Publishes messages {@code 0 .. count-1} as {@link #numbered}. */
	protected final void publishNumbered(String topic, int count) {
		for (int i = 0; i < count; i++) {
			this.broker.publish(topic, numbered(topic, i));
		}
	}

	/** Message number {@code n}: {@code Micro-Id: msg-<n>}, a JSON body {@code {"n":<n>}}. */
	protected static Message numbered(String topic, int n) {
		Metadata headers = Metadata.of("Content-Type", "application/json", "Micro-Id", "msg-" + n, "Micro-Topic",
				topic);
		return new Message(headers, ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
	}

	/** A handler that records what it receives. */
	protected static final class Received implements BrokerHandler {

		private final List<Event> events = new CopyOnWriteArrayList<>();

		private final Map<String, AtomicInteger> perId = new ConcurrentHashMap<>();

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public void handle(Event event) {
			this.events.add(event);
			this.perId.computeIfAbsent(event.message().headers().get("Micro-Id").orElse(""), id -> new AtomicInteger())
				.incrementAndGet();
			this.count.incrementAndGet();
		}

		/** How many messages arrived. */
		public int count() {
			return this.count.get();
		}

		/** The events in the order they arrived. */
		public List<Event> events() {
			return List.copyOf(this.events);
		}

		/** The distinct {@code Micro-Id}s that arrived. */
		public Set<String> distinctIds() {
			return Set.copyOf(this.perId.keySet());
		}

		/** The {@code Micro-Id}s that arrived more than once. */
		public Set<String> duplicateIds() {
			Set<String> duplicates = ConcurrentHashMap.newKeySet();
			this.perId.forEach((id, n) -> {
				if (n.get() > 1) {
					duplicates.add(id);
				}
			});
			return duplicates;
		}

	}

}
