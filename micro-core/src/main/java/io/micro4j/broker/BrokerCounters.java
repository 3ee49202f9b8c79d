package io.micro4j.broker;

import java.util.Map;
import java.util.function.LongSupplier;

/**
 * An optional ability of a {@link Broker} that counts the problems it handles on its own (a handler that threw, a
 * retry, a message given up), for metrics. Each counter starts at zero when the broker is created and only grows.
 * <p>
 * Counter names are in Micrometer's dot style; a broker reports only those it really counts:
 * <ul>
 * <li>{@value #DELIVERIES_FAILED}: received messages whose handler threw;</li>
 * <li>{@value #DELIVERIES_RETRIED}: deliveries attempted again after a failure;</li>
 * <li>{@value #DELIVERIES_REQUEUED}: failed deliveries put back in their queue for another attempt;</li>
 * <li>{@value #MESSAGES_DROPPED}: messages given up and lost;</li>
 * <li>{@value #MESSAGES_DEAD_LETTERED}: messages given up and sent to a dead-letter destination;</li>
 * <li>{@value #MESSAGES_INVALID}: received payloads that were not go-micro envelopes.</li>
 * </ul>
 * A broker without this interface counts nothing.
 */
@FunctionalInterface
public interface BrokerCounters {

	/** Received messages whose handler threw. */
	String DELIVERIES_FAILED = "deliveries.failed";

	/** Deliveries attempted again after a failure. */
	String DELIVERIES_RETRIED = "deliveries.retried";

	/** Failed deliveries put back in their queue for another attempt. */
	String DELIVERIES_REQUEUED = "deliveries.requeued";

	/** Messages given up and lost. */
	String MESSAGES_DROPPED = "messages.dropped";

	/** Messages given up and sent to a dead-letter destination. */
	String MESSAGES_DEAD_LETTERED = "messages.dead-lettered";

	/** Received payloads that were not go-micro envelopes. */
	String MESSAGES_INVALID = "messages.invalid";

	/**
	 * The broker's counters by name. The map is fixed for the broker's life, so it can be read once and kept: each
	 * supplier reads the live count, without locking or allocating (after close it keeps the last count).
	 * @return an immutable map of counter name to its reading, never empty
	 */
	Map<String, LongSupplier> counters();

}
