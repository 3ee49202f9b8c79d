package io.micro4j.spring.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.micro4j.errors.MicroException;
import io.micro4j.internal.Arguments;
import io.micro4j.registry.Reachability;
import io.micro4j.registry.ReachabilityCheck;
import io.micro4j.registry.Registry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The health of the service registry, cheap enough to be asked on every probe: it reads the registry's connection
 * state and a cached probe, never a listing of every service.
 * <p>
 * <b>Probe.</b> From its creation on, every {@code probeInterval} the indicator makes one small read on a thread of
 * its own, {@link Registry#getService getService("}{@value #PROBE_SERVICE}{@code ")} (a service nobody registers:
 * etcd reads one empty key range, Consul answers one health query). A health request reads the state known so far
 * and never waits, except until the first probe has answered (at most {@code timeout}); a probe that has not
 * answered within {@code timeout} counts as a failure.
 * <p>
 * <b>State.</b> For a registry that is a {@link ReachabilityCheck} (etcd, Consul) the state is what its own traffic
 * (registrations, watches, lookups and the probe) has seen; for other registries it is the outcome of the last probe.
 * <p>
 * <b>Status.</b> {@code UP} with details {@code type}, {@code reachable: true} and {@code state: "ok"} while the
 * registry answers. While it does not, the service rides the outage out (its record stays in the registry for the
 * TTL, its callers and its own client serve the nodes they know), so the status stays {@code UP} with
 * {@code reachable: false}, {@code state: "degraded"}, {@code since} (when the outage began) and {@code cause}.
 * Only a registry that has never answered since the indicator was created is {@code DOWN}: then there is nothing
 * to ride out on. The details also carry {@code probedAt}, when the last probe ended. The starter puts this
 * indicator in neither the liveness nor the readiness group. {@link #close()} stops the probe's thread.
 */
public final class RegistryHealthIndicator implements HealthIndicator, AutoCloseable {

	/** The name of the service the probe reads; nobody registers it. */
	public static final String PROBE_SERVICE = "micro-health-probe";

	/** The default of the probe interval: 10 seconds. */
	public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(10);

	private final Registry registry;

	private final Duration timeout;

	private final Clock clock = Clock.systemUTC();

	private final ScheduledThreadPoolExecutor executor;

	private final CompletableFuture<Void> firstProbe = new CompletableFuture<>();

	/** When the probe in progress started ({@link System#nanoTime()}), or 0 when none is in progress. */
	private final AtomicLong probeStartedNanos = new AtomicLong();

	private volatile @Nullable Instant probeStartedAt;

	private volatile @Nullable Instant probedAt;

	private volatile Reachability probed = Reachability.up();

	private volatile boolean everReached;

	/**
	 * An indicator of {@code registry} that probes it every {@code probeInterval}, starting now; a health request
	 * waits up to {@code timeout} for the first probe.
	 * @throws IllegalArgumentException if {@code timeout} or {@code probeInterval} is not positive
	 */
	public RegistryHealthIndicator(Registry registry, Duration timeout, Duration probeInterval) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.timeout = Arguments.positive("timeout", timeout);
		long interval = Arguments.positive("probeInterval", probeInterval).toNanos();
		CustomizableThreadFactory threads = new CustomizableThreadFactory("micro-registry-health-");
		threads.setDaemon(true);
		this.executor = new ScheduledThreadPoolExecutor(1, threads);
		this.executor.scheduleWithFixedDelay(this::probe, 0, interval, TimeUnit.NANOSECONDS);
	}

	/**
	 * An indicator that probes every {@link #DEFAULT_PROBE_INTERVAL}.
	 * @throws IllegalArgumentException if {@code timeout} is not positive
	 */
	public RegistryHealthIndicator(Registry registry, Duration timeout) {
		this(registry, timeout, DEFAULT_PROBE_INTERVAL);
	}

	@Override
	public Health health() {
		if (!this.firstProbe.isDone()) {
			try {
				this.firstProbe.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException | ExecutionException ex) {
				// reported by current()
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		Reachability state = current();
		if (state.reachable()) {
			this.everReached = true;
		}
		Health.Builder builder = new Health.Builder().withDetail("type", this.registry.name())
			.withDetail("reachable", state.reachable())
			.withDetail("state", state.reachable() ? "ok" : "degraded");
		state.since().ifPresent(since -> builder.withDetail("since", since.toString()));
		state.cause().ifPresent(cause -> builder.withDetail("cause", cause));
		Instant at = this.probedAt;
		if (at != null) {
			builder.withDetail("probedAt", at.toString());
		}
		return (state.reachable() || this.everReached) ? builder.up().build() : builder.down().build();
	}

	/**
	 * A probe that has not answered within the timeout; otherwise the registry's own state when it is a
	 * {@link ReachabilityCheck}, else the last probe's outcome.
	 */
	private Reachability current() {
		long started = this.probeStartedNanos.get();
		Instant startedAt = this.probeStartedAt;
		if (started != 0 && startedAt != null && System.nanoTime() - started >= this.timeout.toNanos()) {
			return Reachability.unreachable(startedAt, "no answer within " + this.timeout);
		}
		return (this.registry instanceof ReachabilityCheck check) ? check.reachability() : this.probed;
	}

	private void probe() {
		this.probeStartedAt = this.clock.instant();
		this.probeStartedNanos.set(Math.max(1, System.nanoTime()));
		try {
			this.registry.getService(PROBE_SERVICE);
			this.probed = Reachability.up();
			this.everReached = true;
		}
		catch (RuntimeException ex) {
			if (this.probed.reachable()) {
				String message = (ex instanceof MicroException micro) ? micro.detail() : ex.getMessage();
				this.probed = Reachability.unreachable(this.clock.instant(),
						ex.getClass().getSimpleName() + ((message != null) ? ": " + message : ""));
			}
		}
		finally {
			this.probeStartedNanos.set(0);
			this.probedAt = this.clock.instant();
			this.firstProbe.complete(null);
		}
	}

	/** Stops the indicator's thread, interrupting a probe in progress; idempotent. The registry is left open. */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
