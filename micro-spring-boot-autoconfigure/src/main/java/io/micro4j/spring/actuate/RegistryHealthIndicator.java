package io.micro4j.spring.actuate;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micro4j.internal.Arguments;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The health of the service registry: {@code UP} with details {@code type} (the registry's
 * {@linkplain Registry#name() name}) and {@code services} (how many services it lists) when
 * {@link Registry#listServices()} answers; {@code DOWN} with the exception when it fails, and with
 * {@code error: "timed out after <timeout>"} when it has not answered within the timeout.
 * <p>
 * The registry is asked on a thread of the indicator's own, so a registry that does not answer never holds up the
 * health endpoint for longer than the timeout; while one check is still waiting for the registry, later checks wait
 * for the same answer instead of asking again. {@link #close()} stops that thread.
 */
public final class RegistryHealthIndicator implements HealthIndicator, AutoCloseable {

	private final Registry registry;

	private final Duration timeout;

	private final ExecutorService executor;

	private @Nullable Future<Integer> check;

	/**
	 * An indicator of {@code registry} that reports {@code DOWN} when it has not answered within {@code timeout}.
	 * @throws IllegalArgumentException if {@code timeout} is not positive
	 */
	public RegistryHealthIndicator(Registry registry, Duration timeout) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.timeout = Arguments.positive("timeout", timeout);
		CustomizableThreadFactory threads = new CustomizableThreadFactory("micro-registry-health-");
		threads.setDaemon(true);
		this.executor = Executors.newSingleThreadExecutor(threads);
	}

	@Override
	public Health health() {
		Health.Builder builder = new Health.Builder().withDetail("type", this.registry.name());
		try {
			int services = check().get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
			return builder.up().withDetail("services", services).build();
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			return builder.down(cause).build();
		}
		catch (TimeoutException ex) {
			return builder.down().withDetail("error", "timed out after " + this.timeout).build();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return builder.down(ex).build();
		}
	}

	/** The check in progress, or a new one. */
	private synchronized Future<Integer> check() {
		Future<Integer> current = this.check;
		if (current == null || current.isDone()) {
			current = this.executor.submit(this::countServices);
			this.check = current;
		}
		return current;
	}

	private int countServices() {
		return (int) this.registry.listServices().stream().map(Service::name).distinct().count();
	}

	/** Stops the indicator's thread, interrupting a check in progress; idempotent. The registry is left open. */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
