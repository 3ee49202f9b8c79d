package io.micro4j.broker.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import io.micro4j.broker.BrokerCounters;
import io.micro4j.broker.Event;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.Subscription;
import io.micro4j.metadata.Metadata;
import io.micro4j.test.rabbitmq.RabbitMqServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** go-micro's wire as a raw AMQP client sees it, acknowledgement modes and poison-message handling. */
class RabbitBrokerDeliveryTests {

	@RegisterExtension
	static final RabbitMqServer rabbit = new RabbitMqServer();

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final List<AutoCloseable> resources = new ArrayList<>();

	private Connection raw;

	@BeforeEach
	void connectRawClient() throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setUri(rabbit.amqpUri());
		this.raw = factory.newConnection("raw-test-client");
	}

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
		this.raw.close();
	}

	@Test
	void whenJavaPublishesThenARawAmqpConsumerSeesGoMicrosWire() throws Exception {
		RabbitBroker broker = broker(RabbitBroker.builder(rabbit.amqpUri()));
		broker.subscribe("wire.warmup", event -> {
		}, SubscribeOptions.defaults()).close();
		String topic = "wire." + UUID.randomUUID();
		Channel channel = this.raw.createChannel();
		String queue = channel.queueDeclare().getQueue();
		channel.queueBind(queue, "micro", topic);
		byte[] body = "{\"say\":\"hello\"}\n".getBytes(StandardCharsets.UTF_8);
		Metadata headers = Metadata.of("Content-Type", "application/json", "Micro-Id",
				"2f1c7e0a-8d1b-4b8e-b8f2-0b6c3a1d9e77", "Micro-Topic", topic, "X-Tenant", "acme", "Traceparent",
				"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

		broker.publish(topic, new Message(headers, body));

		GetResponse response = await().atMost(TIMEOUT).until(() -> channel.basicGet(queue, true), r -> r != null);
		assertThat(response.getEnvelope().getExchange()).isEqualTo("micro");
		assertThat(response.getEnvelope().getRoutingKey()).isEqualTo(topic);
		assertThat(response.getBody()).isEqualTo(body);
		AMQP.BasicProperties properties = response.getProps();
		assertThat(properties.getContentType()).isEqualTo("application/json");
		assertThat(properties.getDeliveryMode()).isEqualTo(2);
		Map<String, String> table = new java.util.LinkedHashMap<>();
		properties.getHeaders().forEach((key, value) -> table.put(key, value.toString()));
		assertThat(table).containsExactlyInAnyOrderEntriesOf(Map.of("Content-Type", "application/json", "Micro-Id",
				"2f1c7e0a-8d1b-4b8e-b8f2-0b6c3a1d9e77", "Micro-Topic", topic, "X-Tenant", "acme", "Traceparent",
				"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
		assertThat(properties.getHeaders().values()).allSatisfy(
				value -> assertThat(value).isInstanceOf(com.rabbitmq.client.LongString.class));
		assertThat(rabbit.ctl("list_exchanges", "name", "type", "durable")).contains("micro\ttopic\tfalse");
	}

	@Test
	void whenGoMicroPublishesRawThenTheSubscriberGetsItsHeadersAndBody() throws Exception {
		RabbitBroker broker = broker(RabbitBroker.builder(rabbit.amqpUri()));
		String topic = "wire." + UUID.randomUUID();
		BlockingQueue<Event> received = new LinkedBlockingQueue<>();
		this.resources.add(broker.subscribe(topic, received::add, SubscribeOptions.defaults()));
		Channel channel = this.raw.createChannel();
		byte[] body = "{\"id\":\"1\",\"message\":\"hi from go\"}\n".getBytes(StandardCharsets.UTF_8);
		// as go-micro's rabbitmq plugin publishes: headers only in the table, no properties
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
			.headers(Map.of("Content-Type", "application/json", "Micro-Id", "abc-123", "Micro-Topic", topic))
			.build();

		channel.basicPublish("micro", topic, properties, body);

		Event event = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(event).isNotNull();
		assertThat(event.topic()).isEqualTo(topic);
		assertThat(event.message().body()).isEqualTo(body);
		assertThat(event.message().headers().asMap()).containsExactlyInAnyOrderEntriesOf(
				Map.of("Content-Type", "application/json", "Micro-Id", "abc-123", "Micro-Topic", topic));
	}

	@Test
	void whenHandlerThrowsOnTheFirstDeliveryWithAckOnSuccessThenEveryMessageIsDeliveredAgain() throws Exception {
		RabbitBroker broker = broker(RabbitBroker.builder(rabbit.amqpUri()).ackOnSuccess(true).durableQueue(true));
		String topic = "redeliver." + UUID.randomUUID();
		String queue = "redeliver-" + UUID.randomUUID();
		Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
		Set<String> handled = ConcurrentHashMap.newKeySet();
		this.resources.add(broker.subscribe(topic, event -> {
			String id = event.message().headers().get("Micro-Id").orElseThrow();
			if (deliveries.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet() == 1) {
				throw new IllegalStateException("first delivery fails on purpose");
			}
			handled.add(id);
		}, SubscribeOptions.queue(queue)));

		for (int i = 0; i < 200; i++) {
			broker.publish(topic, numbered(topic, i));
		}

		await().atMost(TIMEOUT).until(() -> handled.size() == 200);
		assertThat(deliveries).hasSize(200);
		assertThat(deliveries.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(2));
		assertThat(broker.failedDeliveries()).isEqualTo(200);
		assertThat(broker.requeuedDeliveries()).isEqualTo(200);
		assertThat(broker.counters().get(BrokerCounters.DELIVERIES_FAILED).getAsLong()).isEqualTo(200);
		assertThat(broker.counters().get(BrokerCounters.DELIVERIES_REQUEUED).getAsLong()).isEqualTo(200);
		await().atMost(TIMEOUT).until(() -> queueCounts(queue).equals("0\t0"));
	}

	@Test
	void whenAMessageAlwaysFailsThenItIsRedeliveredBoundedTimesAndDeadLettered() throws Exception {
		RabbitBroker broker = broker(RabbitBroker.builder(rabbit.amqpUri())
			.ackOnSuccess(true)
			.maxRedeliveries(3)
			.deadLetterExchange("micro.dlx"));
		String topic = "poison." + UUID.randomUUID();
		String queue = "poison-" + UUID.randomUUID();
		AtomicInteger poisonDeliveries = new AtomicInteger();
		Set<String> handled = ConcurrentHashMap.newKeySet();
		this.resources.add(broker.subscribe(topic, event -> {
			String id = event.message().headers().get("Micro-Id").orElseThrow();
			if (id.equals("poison")) {
				poisonDeliveries.incrementAndGet();
				throw new IllegalArgumentException("cannot parse poison");
			}
			handled.add(id);
		}, SubscribeOptions.queue(queue)));
		byte[] poisonBody = "not json".getBytes(StandardCharsets.UTF_8);

		broker.publish(topic, new Message(Metadata.of("Micro-Id", "poison", "Content-Type", "application/json"),
				poisonBody));
		for (int i = 0; i < 5; i++) {
			broker.publish(topic, numbered(topic, i));
		}

		await().atMost(TIMEOUT).until(() -> broker.deadLetteredMessages() == 1 && handled.size() == 5);
		assertThat(broker.counters().get(BrokerCounters.MESSAGES_DEAD_LETTERED).getAsLong()).isEqualTo(1);
		Channel channel = this.raw.createChannel();
		GetResponse dead = await().atMost(TIMEOUT).until(() -> channel.basicGet(queue + ".dlq", true), r -> r != null);
		assertThat(dead.getBody()).isEqualTo(poisonBody);
		assertThat(dead.getEnvelope().getExchange()).isEqualTo("micro.dlx");
		Map<String, Object> headers = dead.getProps().getHeaders();
		assertThat(headers.get("Micro-Id")).hasToString("poison");
		assertThat(headers.get(RabbitBroker.DEAD_LETTER_DELIVERIES_HEADER)).hasToString("4");
		assertThat(headers.get(RabbitBroker.DEAD_LETTER_TOPIC_HEADER)).hasToString(topic);
		assertThat(headers.get(RabbitBroker.DEAD_LETTER_QUEUE_HEADER)).hasToString(queue);
		assertThat(headers.get(RabbitBroker.DEAD_LETTER_REASON_HEADER).toString()).contains("cannot parse poison");
		await().during(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> poisonDeliveries.get() == 4);
		assertThat(broker.droppedMessages()).isZero();
	}

	@Test
	void whenAMessageAlwaysFailsWithoutADeadLetterExchangeThenItIsDroppedAfterTheLastRedelivery() throws Exception {
		RabbitBroker broker = broker(RabbitBroker.builder(rabbit.amqpUri()).ackOnSuccess(true).maxRedeliveries(2));
		String topic = "poison." + UUID.randomUUID();
		String queue = "poison-" + UUID.randomUUID();
		AtomicInteger deliveries = new AtomicInteger();
		this.resources.add(broker.subscribe(topic, event -> {
			deliveries.incrementAndGet();
			throw new IllegalStateException("always fails");
		}, SubscribeOptions.queue(queue)));

		broker.publish(topic, numbered(topic, 1));

		await().atMost(TIMEOUT).until(() -> broker.droppedMessages() == 1);
		assertThat(broker.counters().get(BrokerCounters.MESSAGES_DROPPED).getAsLong()).isEqualTo(1);
		await().during(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> deliveries.get() == 3);
		assertThat(queueCounts(queue)).isEqualTo("0\t0");
	}

	@Test
	void whenRequeueOnErrorIsOffThenAFailedMessageIsGivenUpAtOnce() {
		RabbitBroker broker = broker(
				RabbitBroker.builder(rabbit.amqpUri()).ackOnSuccess(true).requeueOnError(false).maxRedeliveries(5));
		String topic = "norequeue." + UUID.randomUUID();
		AtomicInteger deliveries = new AtomicInteger();
		this.resources.add(broker.subscribe(topic, event -> {
			deliveries.incrementAndGet();
			throw new IllegalStateException("fails once, never retried");
		}, SubscribeOptions.defaults()));

		broker.publish(topic, numbered(topic, 1));

		await().atMost(TIMEOUT).until(() -> broker.droppedMessages() == 1);
		await().during(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> deliveries.get() == 1);
		assertThat(broker.requeuedDeliveries()).isZero();
	}

	@Test
	void whenTheSubscriberAcknowledgesItselfThenOnlyAcknowledgedMessagesLeaveTheQueue() throws Exception {
		RabbitBroker broker = broker(RabbitBroker.builder(rabbit.amqpUri()));
		String topic = "manual." + UUID.randomUUID();
		String queue = "manual-" + UUID.randomUUID();
		AtomicInteger deliveries = new AtomicInteger();
		Subscription subscription = broker.subscribe(topic, event -> {
			deliveries.incrementAndGet();
			if (event.message().headers().get("Micro-Id").orElseThrow().equals("msg-1")) {
				event.ack();
				event.ack();
			}
		}, new SubscribeOptions(queue, false));
		this.resources.add(subscription);

		broker.publish(topic, numbered(topic, 1));
		broker.publish(topic, numbered(topic, 2));

		await().atMost(TIMEOUT).until(() -> deliveries.get() == 2);
		await().atMost(TIMEOUT).until(() -> queueCounts(queue).equals("1\t1"));
	}

	@Test
	void whenTheDefaultAutoAckIsUsedThenAFailedMessageIsNotRedelivered() {
		RabbitBroker broker = broker(RabbitBroker.builder(rabbit.amqpUri()));
		String topic = "autoack." + UUID.randomUUID();
		AtomicInteger deliveries = new AtomicInteger();
		this.resources.add(broker.subscribe(topic, event -> {
			deliveries.incrementAndGet();
			throw new IllegalStateException("lost: at most once");
		}, SubscribeOptions.queue("autoack-" + UUID.randomUUID())));

		broker.publish(topic, numbered(topic, 1));

		await().atMost(TIMEOUT).until(() -> broker.failedDeliveries() == 1);
		await().during(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> deliveries.get() == 1);
		assertThat(broker.requeuedDeliveries() + broker.droppedMessages() + broker.deadLetteredMessages()).isZero();
	}

	@Test
	void whenTheExchangeExistsWithOtherDurabilityThenSubscribingFailsSayingWhy() {
		RabbitBroker durable = broker(RabbitBroker.builder(rabbit.amqpUri()).exchange("mismatch").durableExchange(true));
		durable.subscribe("x", event -> {
		}, SubscribeOptions.defaults());
		RabbitBroker transientOne = broker(RabbitBroker.builder(rabbit.amqpUri()).exchange("mismatch"));

		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> transientOne.subscribe("x", event -> {
			}, SubscribeOptions.defaults()))
			.isInstanceOf(io.micro4j.broker.BrokerException.class)
			.hasMessageContaining("mismatch")
			.hasMessageContaining("PRECONDITION_FAILED");
	}

	private RabbitBroker broker(RabbitBroker.Builder builder) {
		RabbitBroker broker = builder.build();
		this.resources.add(broker);
		return broker;
	}

	/** {@code messages<TAB>messages_unacknowledged} of {@code queue}. */
	private static String queueCounts(String queue) {
		for (String line : rabbit.ctl("list_queues", "-q", "name", "messages", "messages_unacknowledged")
			.split("\n")) {
			if (line.startsWith(queue + "\t")) {
				return line.substring(queue.length() + 1).trim();
			}
		}
		return "(no queue " + queue + ")";
	}

	private static Message numbered(String topic, int n) {
		return new Message(Metadata.of("Content-Type", "application/json", "Micro-Id", "msg-" + n, "Micro-Topic", topic),
				("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
	}

}
