package io.micro4j.spring.actuate;

import io.micro4j.server.DefaultServer;
import io.micro4j.server.Server;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Whether the micro server is ready for traffic; the starter adds it to Boot's {@code readiness} group.
 * <p>
 * The rule: ready ({@code UP}) once the server is running and has been registered at least once; before that,
 * and after it stopped, {@code OUT_OF_SERVICE}. A registry outage later does not make it unready: the record stays
 * in the registry for its TTL and in the callers' caches, and the registration loop writes it again when the
 * registry is back, so the detail {@code registered} (whether the last registration succeeded) turns {@code false}
 * but the status stays {@code UP}. An application without a micro server ({@code micro.server.enabled=false}) is
 * always {@code UP} here, with {@code server: "none"}.
 */
public final class MicroServerHealthIndicator implements HealthIndicator {

	private final @Nullable Server server;

	/** An indicator of {@code server}; {@code null} when the application has none. */
	public MicroServerHealthIndicator(@Nullable Server server) {
		this.server = server;
	}

	@Override
	public Health health() {
		Server s = this.server;
		if (s == null) {
			return Health.up().withDetail("server", "none").build();
		}
		Health.Builder builder = new Health.Builder().withDetail("running", s.isRunning());
		if (!s.isRunning()) {
			return builder.status(Status.OUT_OF_SERVICE).build();
		}
		if (s instanceof DefaultServer server) {
			builder.withDetail("registered", server.isRegistered());
			if (!server.wasRegistered()) {
				return builder.status(Status.OUT_OF_SERVICE)
					.withDetail("reason", "first registration pending")
					.build();
			}
		}
		return builder.up().build();
	}

}
