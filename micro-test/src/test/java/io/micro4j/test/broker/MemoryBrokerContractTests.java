package io.micro4j.test.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerException;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.memory.MemoryBroker;
import io.micro4j.metadata.Metadata;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class MemoryBrokerContractTests extends BrokerContractTests {

	@Override
	protected Broker createBroker() {
		return new MemoryBroker();
	}

	@Test
	void whenQueueGroupHasTwoMembersThenTheyTakeTurnsExactly() {
		String topic = uniqueTopic();
		Received first = subscribe(topic, SubscribeOptions.queue("workers"));
		Received second = subscribe(topic, SubscribeOptions.queue("workers"));

		publishNumbered(topic, 1000);

		await().atMost(deliveryTimeout()).until(() -> first.count() + second.count() == 1000);
		assertThat(first.count()).isEqualTo(500);
		assertThat(second.count()).isEqualTo(500);
	}

	@Test
	void whenMessagesArePublishedThenEachSubscriptionReceivesThemInPublishOrder() {
		String topic = uniqueTopic();
		Received first = subscribe(topic, SubscribeOptions.defaults());
		Received second = subscribe(topic, SubscribeOptions.defaults());

		publishNumbered(topic, 2000);

		await().atMost(deliveryTimeout()).until(() -> first.count() == 2000 && second.count() == 2000);
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			expected.add("msg-" + i);
		}
		assertThat(first.events()).extracting(event -> event.message().headers().get("Micro-Id").orElseThrow())
			.isEqualTo(expected);
		assertThat(second.events()).extracting(event -> event.message().headers().get("Micro-Id").orElseThrow())
			.isEqualTo(expected);
	}

	@Test
	void whenHandlerRunsThenItIsNotOnThePublishersThread() {
		String topic = uniqueTopic();
		List<Thread> threads = new CopyOnWriteArrayList<>();
		this.broker.subscribe(topic, event -> threads.add(Thread.currentThread()), SubscribeOptions.defaults());

		this.broker.publish(topic, numbered(topic, 1));

		await().atMost(deliveryTimeout()).until(() -> threads.size() == 1);
		assertThat(threads.get(0)).isNotSameAs(Thread.currentThread());
		assertThat(threads.get(0).isDaemon()).isTrue();
	}

	@Test
	void whenHandlerThrowsThenTheFailureIsCounted() {
		MemoryBroker memory = (MemoryBroker) this.broker;
		String topic = uniqueTopic();
		Received received = subscribe(topic, SubscribeOptions.defaults());
		memory.subscribe(topic, event -> {
			throw new IllegalStateException("handler failed on purpose");
		}, SubscribeOptions.defaults());

		publishNumbered(topic, 3);

		await().atMost(deliveryTimeout()).until(() -> memory.failedDeliveries() == 3);
		await().atMost(deliveryTimeout()).until(() -> received.count() == 3);
	}

	@Test
	void whenNobodySubscribedThenPublishingDropsTheMessage() {
		MemoryBroker memory = (MemoryBroker) this.broker;

		memory.publish(uniqueTopic(), numbered("nobody", 1));

		assertThat(memory.failedDeliveries()).isZero();
	}

	@Test
	void whenBrokerIsClosedThenPublishingAndSubscribingFail() {
		Broker closed = newBroker();
		closed.close();

		assertThatThrownBy(() -> closed.publish("events", numbered("events", 1))).isInstanceOf(BrokerException.class)
			.hasMessageContaining("closed");
		assertThatThrownBy(() -> closed.subscribe("events", event -> {
		}, SubscribeOptions.defaults())).isInstanceOf(BrokerException.class);
	}

	@Test
	void whenBrokerIsClosedThenQueuedMessagesAreStillHandled() {
		Broker closing = newBroker();
		String topic = uniqueTopic();
		Received received = new Received();
		closing.subscribe(topic, received, SubscribeOptions.defaults());
		for (int i = 0; i < 500; i++) {
			closing.publish(topic, new io.micro4j.broker.Message(Metadata.of("Micro-Id", "m" + i), new byte[16]));
		}

		closing.close();

		assertThat(received.count()).isEqualTo(500);
	}

	@Test
	void whenTheBrokerIsNamedThenItIsMemory() {
		assertThat(this.broker.name()).isEqualTo("memory");
	}

	/** The whole contract again with the acceptance volume. */
	@Nested
	class WithTenThousandMessages extends BrokerContractTests {

		@Override
		protected Broker createBroker() {
			return new MemoryBroker();
		}

		@Override
		protected int messageCount() {
			return 10_000;
		}

	}

}
