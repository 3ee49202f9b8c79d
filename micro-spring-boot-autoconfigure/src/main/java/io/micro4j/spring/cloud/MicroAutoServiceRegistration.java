package io.micro4j.spring.cloud;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistration;
import org.springframework.context.SmartLifecycle;

/**
 * Registers this application's web server through a {@link MicroServiceRegistry} while the application runs.
 * <p>
 * Its {@link #PHASE phase} puts its start after the embedded web server's (so the port is known) and its stop
 * before the web server's graceful shutdown: the node leaves the registry, the deregister delay passes for clients
 * to notice, and only then does the web server stop taking requests. The registration is made at start by the
 * given supplier, which returns nothing when there is nothing to register (no web server, or a port of 0).
 */
public final class MicroAutoServiceRegistration implements AutoServiceRegistration, SmartLifecycle {

	/**
	 * The lifecycle phase: above the web server's graceful-shutdown phase ({@code DEFAULT_PHASE - 1024}), below the
	 * default phase, as the micro server's lifecycle.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private final MicroServiceRegistry registry;

	private final Supplier<Optional<MicroRegistration>> registrations;

	private final Duration deregisterDelay;

	private @Nullable MicroRegistration registration;

	private boolean running;

	/**
	 * @param registry where to register
	 * @param registrations makes the registration at start; empty when there is nothing to register
	 * @param deregisterDelay how long to wait after deregistering, before the web server stops
	 */
	public MicroAutoServiceRegistration(MicroServiceRegistry registry,
			Supplier<Optional<MicroRegistration>> registrations, Duration deregisterDelay) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.registrations = Objects.requireNonNull(registrations, "registrations");
		this.deregisterDelay = Objects.requireNonNull(deregisterDelay, "deregisterDelay");
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		MicroRegistration created = this.registrations.get().orElse(null);
		if (created != null) {
			this.registry.register(created);
			this.registration = created;
		}
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		MicroRegistration current = this.registration;
		this.registration = null;
		if (current == null) {
			return;
		}
		this.registry.deregister(current);
		long delay = this.deregisterDelay.toMillis();
		if (delay > 0) {
			try {
				Thread.sleep(delay);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** The registration made at start, if any. */
	public synchronized Optional<MicroRegistration> registration() {
		return Optional.ofNullable(this.registration);
	}

}
