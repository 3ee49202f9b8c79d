package io.micro4j.spring.cloud;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.micro4j.internal.Arguments;
import io.micro4j.internal.LogSafe;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.server.Registration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

/**
 * A Spring Cloud {@link ServiceRegistry} over the micro registry: {@link #register} puts the registration in as a
 * go-micro node (see {@link #describe}) and renews it every register interval with the register TTL, as the micro
 * server renews its own node (the same loop, {@link Registration}); a failed attempt is retried in the background.
 * {@link #deregister} stops renewing and removes the node.
 * <p>
 * Status, as Spring Cloud's service-registry endpoint sets it: {@value #OUT_OF_SERVICE} (or {@value #DOWN}) takes
 * the node out of the registry while the registration is kept, {@value #UP} puts it back. {@link #getStatus} is
 * {@value #UP} while the last registration attempt succeeded, {@value #OUT_OF_SERVICE} when taken out,
 * {@value #DOWN} while registering fails, and {@code null} for a registration this registry does not hold.
 */
public final class MicroServiceRegistry implements ServiceRegistry<MicroRegistration>, AutoCloseable {

	/** The status of a node in the registry. */
	public static final String UP = "UP";

	/** The status of a node taken out of the registry. */
	public static final String OUT_OF_SERVICE = "OUT_OF_SERVICE";

	/** The status of a node whose registration fails; as a status to set, the same as {@value #OUT_OF_SERVICE}. */
	public static final String DOWN = "DOWN";

	private static final Logger logger = LoggerFactory.getLogger(MicroServiceRegistry.class);

	private final Registry registry;

	private final Duration ttl;

	private final Duration interval;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	/**
	 * A service registry over {@code registry}.
	 * @param ttl how long a record lives unless renewed; zero registers without expiry
	 * @param interval how often a record is renewed; zero registers once
	 */
	public MicroServiceRegistry(Registry registry, Duration ttl, Duration interval) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.ttl = Arguments.nonNegative("ttl", ttl);
		this.interval = Arguments.nonNegative("interval", interval);
	}

	/**
	 * The record registered for {@code registration}: service name and version, no endpoints, one node with the
	 * registration's id, address and metadata plus {@code registry=<this registry's name>}.
	 */
	public Service describe(MicroRegistration registration) {
		Map<String, String> metadata = new LinkedHashMap<>(registration.getMetadata());
		metadata.putIfAbsent("registry", this.registry.name());
		Node node = new Node(registration.getInstanceId(), registration.address(), metadata);
		return Service.of(registration.getServiceId(), registration.getVersion(), List.of(node));
	}

	/**
	 * Registers {@code registration} now and renews it until {@link #deregister}; a failed first attempt is logged
	 * and retried in the background. Registering the same instance again is a no-op.
	 */
	@Override
	public void register(MicroRegistration registration) {
		Objects.requireNonNull(registration, "registration");
		Entry entry = this.entries.computeIfAbsent(registration.getInstanceId(), (id) -> new Entry(registration));
		entry.up();
	}

	/** Stops renewing {@code registration} and removes its node; does nothing for an unknown registration. */
	@Override
	public void deregister(MicroRegistration registration) {
		Entry entry = this.entries.remove(registration.getInstanceId());
		if (entry != null) {
			entry.out();
		}
	}

	/** Deregisters every registration; idempotent. */
	@Override
	public void close() {
		for (Entry entry : new ArrayList<>(this.entries.values())) {
			deregister(entry.registration);
		}
	}

	/**
	 * Takes the node out of the registry ({@value #OUT_OF_SERVICE}, {@value #DOWN}) or puts it back
	 * ({@value #UP}); case does not matter.
	 * @throws IllegalArgumentException if the status is none of these
	 * @throws IllegalStateException if {@code registration} is not registered here
	 */
	@Override
	public void setStatus(MicroRegistration registration, String status) {
		Objects.requireNonNull(status, "status");
		String normalized = status.trim().toUpperCase(Locale.ROOT);
		if (!normalized.equals(UP) && !normalized.equals(OUT_OF_SERVICE) && !normalized.equals(DOWN)) {
			throw new IllegalArgumentException(
					"status: \"" + LogSafe.text(status) + "\" (expected: UP, OUT_OF_SERVICE or DOWN)");
		}
		Entry entry = this.entries.get(registration.getInstanceId());
		if (entry == null) {
			throw new IllegalStateException(registration.getInstanceId() + " is not registered");
		}
		if (normalized.equals(UP)) {
			entry.up();
		}
		else {
			entry.out();
		}
	}

	/** {@value #UP}, {@value #OUT_OF_SERVICE}, {@value #DOWN}, or {@code null} if not registered here. */
	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T getStatus(MicroRegistration registration) {
		Entry entry = this.entries.get(registration.getInstanceId());
		return (entry != null) ? (T) entry.status() : null;
	}

	/** The loop of one registration; {@code null} while out of service. */
	private final class Entry {

		private final MicroRegistration registration;

		private @Nullable Registration loop;

		Entry(MicroRegistration registration) {
			this.registration = registration;
		}

		synchronized void up() {
			if (this.loop != null) {
				return;
			}
			Registration created = Registration.of("web server", MicroServiceRegistry.this.registry,
					this.registration.getInstanceId(), MicroServiceRegistry.this.ttl, MicroServiceRegistry.this.interval);
			this.loop = created;
			RuntimeException failure = created.start(describe(this.registration));
			if (failure == null) {
				logger.info("{} registered as {} at {} in the {} registry", this.registration.getServiceId(),
						this.registration.getInstanceId(), this.registration.address(),
						MicroServiceRegistry.this.registry.name());
			}
			else {
				logger.warn("registration of {} as {} at {} in the {} registry pending, retrying in the background: {}",
						this.registration.getServiceId(), this.registration.getInstanceId(),
						this.registration.address(), MicroServiceRegistry.this.registry.name(),
						LogSafe.text(failure.getMessage()));
			}
		}

		synchronized void out() {
			Registration current = this.loop;
			this.loop = null;
			if (current != null) {
				current.stop();
				logger.info("{} node {} deregistered from the {} registry", this.registration.getServiceId(),
						this.registration.getInstanceId(), MicroServiceRegistry.this.registry.name());
			}
		}

		synchronized String status() {
			Registration current = this.loop;
			if (current == null) {
				return OUT_OF_SERVICE;
			}
			return current.isRegistered() ? UP : DOWN;
		}

	}

}
