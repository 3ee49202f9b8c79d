package io.micro4j.registry;

import java.time.Duration;
import java.util.List;

import io.micro4j.internal.Arguments;
import org.jspecify.annotations.Nullable;

/**
 * A service registry: go-micro's {@code registry.Registry}.
 * <p>
 * Records are per node: {@link #register} stores each node of the given service (with the service-level fields)
 * under its own key and TTL; {@link #getService} merges the records of one service into one {@link Service} per
 * version. Implementations are thread-safe and {@link AutoCloseable}; closing is idempotent.
 * <p>
 * Failures to reach the backing store are {@link RegistryException}s. A record written by someone else that does
 * not parse is skipped (logged once), never thrown.
 */
public interface Registry extends AutoCloseable {

	/** go-micro's library default registration TTL. */
	Duration DEFAULT_TTL = Duration.ofSeconds(90);

	/**
	 * The registry's name as go-micro spells it ({@code memory}, {@code etcd}, {@code consul}, {@code mdns}); it is
	 * written into node metadata as {@code registry=<name>}.
	 */
	String name();

	/**
	 * Stores every node of {@code service}, each expiring after {@code ttl} unless registered again.
	 * A zero TTL means the records never expire.
	 * @throws RegistryException if the registry cannot be reached
	 */
	void register(Service service, Duration ttl);

	/**
	 * Removes the nodes of {@code service}; nodes that are not registered are ignored.
	 * @throws RegistryException if the registry cannot be reached
	 */
	void deregister(Service service);

	/**
	 * The registered versions of service {@code name}, each with all its nodes.
	 * @return one entry per version, in no particular order; empty if the service is not registered
	 * @throws RegistryException if the registry cannot be reached
	 */
	List<Service> getService(String name);

	/**
	 * Every registered service and version (nodes included).
	 * @throws RegistryException if the registry cannot be reached
	 */
	List<Service> listServices();

	/**
	 * Watches changes to service {@code service}, or to all services when it is {@code null}. Each event carries
	 * the affected service version with the changed node(s); a delete carries the removed node(s).
	 * @return the watch; close it to stop receiving events
	 * @throws RegistryException if the watch cannot be started
	 */
	Watch watch(@Nullable String service, RegistryListener listener);

	@Override
	void close();

	/**
	 * Checks the arguments of {@link #register} as every implementation must: a service with at least one node and
	 * a TTL that is not negative.
	 * @throws IllegalArgumentException otherwise, saying what was expected
	 */
	static void checkRegistration(Service service, Duration ttl) {
		java.util.Objects.requireNonNull(service, "service");
		Arguments.nonNegative("ttl", ttl);
		if (service.nodes().isEmpty()) {
			throw new IllegalArgumentException("service " + service.name() + ": no nodes (expected: at least one)");
		}
	}

	/** A running watch. */
	interface Watch extends AutoCloseable {

		/** Stops delivering events; idempotent. */
		@Override
		void close();

	}

}
