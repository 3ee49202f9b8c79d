package io.micro4j.spring.actuate;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

import io.micro4j.broker.Broker;
import io.micro4j.broker.ConnectionCheck;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of the message broker, with details {@code type} (the broker's {@linkplain Broker#name() name}),
 * {@code address}, {@code connected} and {@code state}. It does no network I/O.
 * <p>
 * A broker that is a {@link ConnectionCheck} (NATS, RabbitMQ) and is reconnecting is an outage the service rides
 * out (the client reconnects, published messages wait in the outbox), so the status stays {@code UP} with
 * {@code connected: false}, {@code state: "degraded"} and {@code since} (when this indicator first saw the
 * connection down). Only a broker that has not been seen connected since the indicator was created is {@code DOWN}.
 * Other brokers are always {@code UP}.
 */
public final class BrokerHealthIndicator implements HealthIndicator {

	private final Broker broker;

	private final Clock clock = Clock.systemUTC();

	private volatile boolean everConnected;

	private volatile @Nullable Instant downSince;

	/** An indicator of {@code broker}. */
	public BrokerHealthIndicator(Broker broker) {
		this.broker = Objects.requireNonNull(broker, "broker");
	}

	@Override
	public Health health() {
		Health.Builder builder = new Health.Builder().withDetail("type", this.broker.name())
			.withDetail("address", this.broker.address());
		boolean connected = !(this.broker instanceof ConnectionCheck connection) || connection.isConnected();
		builder.withDetail("connected", connected).withDetail("state", connected ? "ok" : "degraded");
		if (connected) {
			this.everConnected = true;
			this.downSince = null;
			return builder.up().build();
		}
		Instant since = this.downSince;
		if (since == null) {
			since = this.clock.instant();
			this.downSince = since;
		}
		builder.withDetail("since", since.toString());
		return this.everConnected ? builder.up().build() : builder.down().withDetail("error", "not connected").build();
	}

}
