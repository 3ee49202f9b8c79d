package io.micro4j.broker.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.micro4j.broker.BrokerException;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.metadata.Metadata;
import io.micro4j.test.rabbitmq.RabbitMqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The RabbitMQ node crashes or restarts under the broker. */
class RabbitBrokerRecoveryTests {

	@RegisterExtension
	static final RabbitMqServer rabbit = new RabbitMqServer();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@Test
	void whenRabbitMqCrashesAndComesBackThenPublishingFailsMeanwhileAndSubscriptionsAreRestored() {
		try (RabbitBroker broker = RabbitBroker.builder(rabbit.amqpUri())
			.recoveryInterval(Duration.ofMillis(500))
			.build()) {
			String topic = "recovery." + UUID.randomUUID();
			Set<String> broadcast = ConcurrentHashMap.newKeySet();
			Set<String> group = ConcurrentHashMap.newKeySet();
			broker.subscribe(topic, event -> broadcast.add(id(event.message())), SubscribeOptions.defaults());
			broker.subscribe(topic, event -> group.add(id(event.message())),
					SubscribeOptions.queue("recovery-" + UUID.randomUUID()));
			broker.publish(topic, message("before"));
			await().atMost(TIMEOUT).until(() -> broadcast.contains("before") && group.contains("before"));

			rabbit.kill();

			long start = System.nanoTime();
			assertThatThrownBy(() -> broker.publish(topic, message("while-down")))
				.isInstanceOf(BrokerException.class);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

			rabbit.start();

			// A publish can succeed on the recovered connection a moment before the subscriptions' queues are
			// declared and bound again; such a message has no queue to go to (the broadcast queue is not durable).
			// So publish until both subscriptions have one: they must be restored, which is what is tested.
			await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).ignoreException(BrokerException.class).until(() -> {
				broker.publish(topic, message("after"));
				return broadcast.contains("after") && group.contains("after");
			});
			assertThat(broadcast).doesNotContain("while-down");
		}
	}

	@Test
	void whenRabbitMqRestartsThenConfirmedPersistentMessagesOnADurableQueueAreStillDelivered() {
		String exchange = "micro.durable." + UUID.randomUUID();
		String topic = "durable." + UUID.randomUUID();
		String queue = "durable-" + UUID.randomUUID();
		try (RabbitBroker publisher = RabbitBroker.builder(rabbit.amqpUri())
			.exchange(exchange)
			.durableExchange(true)
			.durableQueue(true)
			.ackOnSuccess(true)
			.build()) {
			// the queue must exist (a subscriber declared it once) for messages to be kept
			publisher.subscribe(topic, event -> {
			}, SubscribeOptions.queue(queue)).close();
			for (int i = 0; i < 100; i++) {
				publisher.publish(topic, message("m" + i));
			}
		}

		rabbit.stop();
		rabbit.start();

		Set<String> received = ConcurrentHashMap.newKeySet();
		try (RabbitBroker consumer = RabbitBroker.builder(rabbit.amqpUri())
			.exchange(exchange)
			.durableExchange(true)
			.durableQueue(true)
			.ackOnSuccess(true)
			.build()) {
			consumer.subscribe(topic, event -> received.add(id(event.message())), SubscribeOptions.queue(queue));
			await().atMost(TIMEOUT).until(() -> received.size() == 100);
		}
	}

	private static Message message(String id) {
		return new Message(Metadata.of("Micro-Id", id, "Content-Type", "text/plain"),
				id.getBytes(StandardCharsets.UTF_8));
	}

	private static String id(Message message) {
		return message.headers().get("Micro-Id").orElseThrow();
	}

}
