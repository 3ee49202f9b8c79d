package io.micro4j.spring.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * A Spring Cloud {@link DiscoveryClient} over the micro registry: every registered micro service is a Spring Cloud
 * service, every node of every version one {@link MicroServiceInstance}.
 * <p>
 * Give it the application's {@link RegistryCache}: instances are then read from the watch-fed cache, cost no
 * registry call per lookup and stay available, as last known, while the registry is unreachable. The list of
 * service names is always read from the registry.
 */
public final class MicroDiscoveryClient implements DiscoveryClient {

	/** Bounds the memory of malformed node addresses already warned about. */
	private static final int MAX_WARNED = 1024;

	private static final Logger logger = LoggerFactory.getLogger(MicroDiscoveryClient.class);

	private final Registry registry;

	private final int order;

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	/**
	 * A client over {@code registry} with {@link DiscoveryClient#DEFAULT_ORDER}.
	 * @param registry the registry to read, preferably a {@link RegistryCache}
	 */
	public MicroDiscoveryClient(Registry registry) {
		this(registry, DEFAULT_ORDER);
	}

	/**
	 * A client over {@code registry} with the given order among the application's discovery clients.
	 * @param registry the registry to read, preferably a {@link RegistryCache}
	 * @param order the order; lower comes first in Spring Cloud's composite discovery client
	 */
	public MicroDiscoveryClient(Registry registry, int order) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.order = order;
	}

	@Override
	public String description() {
		return "micro4j DiscoveryClient over the " + this.registry.name() + " registry";
	}

	/**
	 * The nodes of service {@code serviceId} across all its versions.
	 * @return one instance per node; empty if the service is not registered. A node whose address is not
	 * {@code host:port} is left out (with one warning per node and address)
	 * @throws RegistryException if the registry cannot be reached and the service was never read
	 */
	@Override
	public List<ServiceInstance> getInstances(String serviceId) {
		List<ServiceInstance> instances = new ArrayList<>();
		for (Service service : this.registry.getService(serviceId)) {
			for (Node node : service.nodes()) {
				try {
					instances.add(MicroServiceInstance.of(service, node));
				}
				catch (IllegalArgumentException ex) {
					warnOnce(service, node, ex);
				}
			}
		}
		return List.copyOf(instances);
	}

	/**
	 * The names of the registered services.
	 * @return each name once, sorted; empty if none is registered
	 * @throws RegistryException if the registry cannot be reached
	 */
	@Override
	public List<String> getServices() {
		return this.registry.listServices().stream().map(Service::name).distinct().sorted().toList();
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	private void warnOnce(Service service, Node node, IllegalArgumentException ex) {
		String key = service.name() + '/' + node.id() + '@' + node.address();
		if (this.warned.size() >= MAX_WARNED) {
			this.warned.clear();
		}
		if (this.warned.add(key)) {
			logger.warn("Node {} of service {} is left out of the discovery client: {}", node.id(), service.name(),
					ex.getMessage());
		}
		else {
			logger.debug("Node {} of service {} is left out: {}", node.id(), service.name(), ex.getMessage());
		}
	}

}
