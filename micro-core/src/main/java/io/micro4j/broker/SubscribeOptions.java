package io.micro4j.broker;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Options of a subscription.
 *
 * @param queue the queue group: each message goes to one member of the group; {@code null} for broadcast (every
 * subscriber receives every message)
 * @param autoAck whether messages are acknowledged before the handler runs (go-micro's default, {@code true})
 */
public record SubscribeOptions(@Nullable String queue, boolean autoAck) {

	private static final SubscribeOptions DEFAULTS = new SubscribeOptions(null, true);

	public SubscribeOptions {
		if (queue != null && queue.isBlank()) {
			queue = null;
		}
	}

	public static SubscribeOptions defaults() {
		return DEFAULTS;
	}

	public static SubscribeOptions queue(String queue) {
		return new SubscribeOptions(queue, true);
	}

	public Optional<String> queueName() {
		return Optional.ofNullable(this.queue);
	}

}
