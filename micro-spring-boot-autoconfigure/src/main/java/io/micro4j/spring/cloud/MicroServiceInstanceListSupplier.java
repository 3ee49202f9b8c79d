package io.micro4j.spring.cloud;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micro4j.internal.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The instances of one service for Spring Cloud LoadBalancer, read from a {@link MicroDiscoveryClient} on every
 * request and kept to the nodes whose {@code protocol} metadata is one of the given protocols (HTTP nodes; a mucp
 * or gRPC node does not answer plain HTTP requests).
 * <p>
 * No cache of its own: the discovery client reads the watch-fed registry cache, so a node that leaves the registry
 * stops being chosen as soon as the registry's watch reports it, not after a cache TTL. Lookups run on Reactor's
 * bounded-elastic scheduler, since the first read of a service asks the registry. When the registry cannot be read
 * the list is empty (and the load balancer answers that there is no instance), with one warning per outage.
 */
public final class MicroServiceInstanceListSupplier implements ServiceInstanceListSupplier {

	private static final Logger logger = LoggerFactory.getLogger(MicroServiceInstanceListSupplier.class);

	private final String serviceId;

	private final DiscoveryClient discoveryClient;

	private final Set<String> protocols;

	private final AtomicBoolean failing = new AtomicBoolean();

	/**
	 * @param serviceId the service
	 * @param discoveryClient where to read its instances
	 * @param protocols the {@code protocol} metadata values to keep; empty keeps every instance
	 */
	public MicroServiceInstanceListSupplier(String serviceId, DiscoveryClient discoveryClient, Set<String> protocols) {
		this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
		this.discoveryClient = Objects.requireNonNull(discoveryClient, "discoveryClient");
		this.protocols = Set.copyOf(protocols);
	}

	@Override
	public String getServiceId() {
		return this.serviceId;
	}

	/** The protocols kept; empty when every instance is. */
	public Set<String> protocols() {
		return this.protocols;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return Mono.fromCallable(this::instances).subscribeOn(Schedulers.boundedElastic()).flux();
	}

	/** The instances of the service with one of the protocols; empty if none, or if the registry cannot be read. */
	public List<ServiceInstance> instances() {
		try {
			List<ServiceInstance> instances = this.discoveryClient.getInstances(this.serviceId)
				.stream()
				.filter(this::hasProtocol)
				.toList();
			if (this.failing.compareAndSet(true, false)) {
				logger.info("instances of {} can be read again", this.serviceId);
			}
			return instances;
		}
		catch (RuntimeException ex) {
			if (this.failing.compareAndSet(false, true)) {
				logger.warn("instances of {} cannot be read: {}", this.serviceId, LogSafe.text(ex.getMessage()));
			}
			else {
				logger.debug("instances of {} cannot be read: {}", this.serviceId, LogSafe.text(ex.getMessage()));
			}
			return List.of();
		}
	}

	private boolean hasProtocol(ServiceInstance instance) {
		return this.protocols.isEmpty()
				|| this.protocols.contains(instance.getMetadata().getOrDefault(MicroRegistration.PROTOCOL_METADATA_KEY, ""));
	}

}
