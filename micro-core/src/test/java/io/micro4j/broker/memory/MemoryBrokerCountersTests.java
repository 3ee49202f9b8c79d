package io.micro4j.broker.memory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.micro4j.broker.BrokerCounters;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.metadata.Metadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The memory broker's {@link BrokerCounters}: what it counts, and that a kept reading stays live. */
class MemoryBrokerCountersTests {

	private final MemoryBroker broker = new MemoryBroker();

	@AfterEach
	void close() {
		this.broker.close();
	}

	@Test
	void whenNothingFailedThenTheOnlyCounterIsFailedDeliveriesAtZero() {
		assertThat(this.broker.counters()).containsOnlyKeys(BrokerCounters.DELIVERIES_FAILED);
		assertThat(this.broker.counters().get(BrokerCounters.DELIVERIES_FAILED).getAsLong()).isZero();
	}

	@Test
	void whenAHandlerThrowsThenAReadingTakenBeforeSeesTheFailure() {
		LongSupplier failed = this.broker.counters().get(BrokerCounters.DELIVERIES_FAILED);
		AtomicInteger calls = new AtomicInteger();
		this.broker.subscribe("failing", event -> {
			calls.incrementAndGet();
			throw new IllegalStateException("handler failed on purpose");
		}, SubscribeOptions.defaults());

		this.broker.publish("failing", new Message(Metadata.of("Micro-Id", "1"), new byte[0]));

		await().atMost(Duration.ofSeconds(5)).until(() -> failed.getAsLong() == 1);
		assertThat(calls.get()).isEqualTo(1);
		assertThat(this.broker.failedDeliveries()).isEqualTo(1);
	}

}
