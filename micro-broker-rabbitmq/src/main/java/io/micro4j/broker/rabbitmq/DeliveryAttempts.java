package io.micro4j.broker.rabbitmq;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the failed deliveries of messages per queue, so a message whose handler keeps failing is given up after a
 * bounded number of redeliveries (classic queues do not count deliveries; RabbitMQ only flags a redelivery).
 * <p>
 * A first delivery (not flagged as redelivered) starts at one; each flagged redelivery that fails adds one. Only
 * failing messages are kept, and at most {@code capacity} of them (least recently failed dropped first), so the
 * count is per process and bounded: a restarted consumer starts counting again.
 */
final class DeliveryAttempts {

	private final Map<String, Integer> failures;

	DeliveryAttempts(int capacity) {
		this.failures = new LinkedHashMap<>(64, 0.75f, true) {

			private static final long serialVersionUID = 1L;

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
				return size() > capacity;
			}

		};
	}

	/** Records a failed delivery of {@code key} and returns how many deliveries of it have failed so far. */
	synchronized int failed(String key, boolean redelivered) {
		int count = redelivered ? this.failures.getOrDefault(key, 0) + 1 : 1;
		this.failures.put(key, count);
		return count;
	}

	/** Forgets {@code key} (it was handled or given up). */
	synchronized void forget(String key) {
		this.failures.remove(key);
	}

	synchronized boolean isEmpty() {
		return this.failures.isEmpty();
	}

}
