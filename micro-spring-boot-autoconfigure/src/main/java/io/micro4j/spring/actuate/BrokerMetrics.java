package io.micro4j.spring.actuate;

import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The {@link BrokerCounters} of the message broker as Micrometer meters: one {@link FunctionCounter} per counter,
 * named {@value #PREFIX} followed by the counter name (for example {@code micro.broker.deliveries.failed}), tagged
 * {@code broker} with the broker's {@linkplain Broker#name() name}, in base unit {@value #BASE_UNIT}. The meters read
 * the broker's counters when they are published; nothing is counted twice. A broker that is not a
 * {@link BrokerCounters} gets no meters.
 */
public final class BrokerMetrics implements MeterBinder {

	/** The prefix of the meter names. */
	public static final String PREFIX = "micro.broker.";

	/** The base unit of the meters. */
	public static final String BASE_UNIT = "messages";

	private static final Map<String, String> DESCRIPTIONS = Map.of(
			BrokerCounters.DELIVERIES_FAILED, "Received messages whose handler threw",
			BrokerCounters.DELIVERIES_RETRIED, "Deliveries attempted again after a failure",
			BrokerCounters.DELIVERIES_REQUEUED, "Failed deliveries put back in their queue for another attempt",
			BrokerCounters.MESSAGES_DROPPED, "Messages given up and lost",
			BrokerCounters.MESSAGES_DEAD_LETTERED, "Messages given up and sent to a dead-letter destination",
			BrokerCounters.MESSAGES_INVALID, "Received payloads that were not go-micro envelopes");

	private final Broker broker;

	/** Meters of {@code broker}'s counters. */
	public BrokerMetrics(Broker broker) {
		this.broker = Objects.requireNonNull(broker, "broker");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (!(this.broker instanceof BrokerCounters counters)) {
			return;
		}
		for (Map.Entry<String, LongSupplier> counter : counters.counters().entrySet()) {
			LongSupplier reading = counter.getValue();
			FunctionCounter.builder(PREFIX + counter.getKey(), counters, (ignored) -> reading.getAsLong())
				.description(DESCRIPTIONS.getOrDefault(counter.getKey(), "Broker counter " + counter.getKey()))
				.baseUnit(BASE_UNIT)
				.tag("broker", this.broker.name())
				.register(registry);
		}
	}

}
