package io.micro4j.spring.actuate;

import java.util.Objects;

import io.micro4j.broker.Broker;
import io.micro4j.broker.ConnectionCheck;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of the message broker, with details {@code type} (the broker's {@linkplain Broker#name() name}) and
 * {@code address}: {@code DOWN} with {@code error: "not connected"} when the broker is a {@link ConnectionCheck}
 * whose connection is not up (the NATS broker while it reconnects), {@code UP} otherwise. It does no network I/O.
 */
public final class BrokerHealthIndicator implements HealthIndicator {

	private final Broker broker;

	/** An indicator of {@code broker}. */
	public BrokerHealthIndicator(Broker broker) {
		this.broker = Objects.requireNonNull(broker, "broker");
	}

	@Override
	public Health health() {
		Health.Builder builder = new Health.Builder().withDetail("type", this.broker.name())
			.withDetail("address", this.broker.address());
		if (this.broker instanceof ConnectionCheck connection && !connection.isConnected()) {
			return builder.down().withDetail("error", "not connected").build();
		}
		return builder.up().build();
	}

}
