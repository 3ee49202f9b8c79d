package io.micro4j.spring.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.micro4j.broker.Broker;
import io.micro4j.broker.ConnectionCheck;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.Service;
import io.micro4j.server.Server;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code micro} actuator endpoint: what this application serves and what its client sees. Its one read
 * operation answers a {@link MicroDescriptor}: this server (name, version, node id, advertised address, endpoints),
 * the registry (type and the names of the services it lists), the broker (type, address, the topics this server
 * subscribes to) and, for each service the client has looked up, the nodes its registry cache serves now.
 * <p>
 * Listing the registry's services is the only call that leaves the process; when it fails the descriptor says why
 * in {@code registry.error} and the rest is still answered.
 */
@org.springframework.boot.actuate.endpoint.annotation.Endpoint(id = "micro")
public final class MicroActuatorEndpoint {

	private final Registry registry;

	private final @Nullable Server server;

	private final @Nullable Broker broker;

	private final @Nullable RegistryCache registryCache;

	/**
	 * An endpoint over {@code registry}, with this application's server, broker and the client's registry cache
	 * where it has them.
	 */
	public MicroActuatorEndpoint(Registry registry, @Nullable Server server, @Nullable Broker broker,
			@Nullable RegistryCache registryCache) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.server = server;
		this.broker = broker;
		this.registryCache = registryCache;
	}

	/** What this application serves and sees now. */
	@ReadOperation
	public MicroDescriptor micro() {
		return new MicroDescriptor(serverDescriptor(), registryDescriptor(), brokerDescriptor(), clientView());
	}

	private @Nullable ServerDescriptor serverDescriptor() {
		if (this.server == null) {
			return null;
		}
		Service service = this.server.service();
		String address = service.nodes().stream().map(Node::address).findFirst().orElse("");
		String protocol = service.nodes().stream().map(MicroActuatorEndpoint::protocol).findFirst().orElse("");
		List<String> endpoints = service.endpoints()
			.stream()
			.filter(endpoint -> !endpoint.isSubscriber())
			.map(Endpoint::name)
			.toList();
		return new ServerDescriptor(this.server.name(), service.version(), this.server.nodeId(), address, protocol,
				this.server.isRunning(), endpoints);
	}

	private RegistryDescriptor registryDescriptor() {
		try {
			List<String> services = this.registry.listServices()
				.stream()
				.map(Service::name)
				.distinct()
				.sorted()
				.toList();
			return new RegistryDescriptor(this.registry.name(), services, null);
		}
		catch (RuntimeException ex) {
			return new RegistryDescriptor(this.registry.name(), List.of(), String.valueOf(ex.getMessage()));
		}
	}

	private @Nullable BrokerDescriptor brokerDescriptor() {
		if (this.broker == null) {
			return null;
		}
		List<String> topics = (this.server != null) ? this.server.service()
			.endpoints()
			.stream()
			.filter(Endpoint::isSubscriber)
			.map(endpoint -> endpoint.metadata().getOrDefault("topic", endpoint.name()))
			.distinct()
			.toList() : List.of();
		Boolean connected = (this.broker instanceof ConnectionCheck check) ? check.isConnected() : null;
		return new BrokerDescriptor(this.broker.name(), this.broker.address(), connected, topics);
	}

	private Map<String, List<NodeDescriptor>> clientView() {
		if (this.registryCache == null) {
			return Map.of();
		}
		Map<String, List<NodeDescriptor>> view = new TreeMap<>();
		this.registryCache.cachedServices().forEach((name, versions) -> {
			List<NodeDescriptor> nodes = new ArrayList<>();
			for (Service version : versions) {
				for (Node node : version.nodes()) {
					nodes.add(new NodeDescriptor(node.id(), node.address(), version.version(), protocol(node)));
				}
			}
			view.put(name, List.copyOf(nodes));
		});
		return view;
	}

	/** The node's wire, from its metadata: {@code mucp} (also when a record does not say) or {@code grpc}. */
	private static String protocol(Node node) {
		return node.metadata().getOrDefault("protocol", "mucp");
	}

	/**
	 * The {@code micro} endpoint's answer.
	 * @param server this application's micro server, or {@code null} when it has none
	 * @param registry the registry
	 * @param broker the broker, or {@code null} when there is none
	 * @param client service name → the nodes the client's registry cache serves, for each service looked up so far
	 */
	public record MicroDescriptor(@Nullable ServerDescriptor server, RegistryDescriptor registry,
			@Nullable BrokerDescriptor broker, Map<String, List<NodeDescriptor>> client) implements OperationResponseBody {

	}

	/**
	 * This application's micro server.
	 * @param name the service name
	 * @param version the service version
	 * @param nodeId the node id it registers
	 * @param address the address it advertises; empty before it has started
	 * @param protocol the wire it serves, {@code mucp} or {@code grpc}; empty before it has started
	 * @param running whether it is started and not stopped
	 * @param endpoints the endpoints it serves ({@code Greeter.Hello}), subscribers left out
	 */
	public record ServerDescriptor(String name, String version, String nodeId, String address, String protocol,
			boolean running, List<String> endpoints) {

	}

	/**
	 * The registry.
	 * @param type its name ({@code memory}, {@code etcd}, {@code consul})
	 * @param services the names of the services it lists, sorted; empty when listing failed
	 * @param error why listing failed, or {@code null}
	 */
	public record RegistryDescriptor(String type, List<String> services, @Nullable String error) {

	}

	/**
	 * The broker.
	 * @param type its name ({@code memory}, {@code http}, {@code nats}, {@code rabbitmq})
	 * @param address its address; empty when it has none
	 * @param connected whether its connection is up, or {@code null} when it cannot tell
	 * @param topics the topics this application's server subscribes to
	 */
	public record BrokerDescriptor(String type, String address, @Nullable Boolean connected, List<String> topics) {

	}

	/**
	 * A node the client sees.
	 * @param id the node id
	 * @param address its address
	 * @param version the version of the service it belongs to
	 * @param protocol its wire ({@code protocol} in its metadata): {@code mucp} or {@code grpc}
	 */
	public record NodeDescriptor(String id, String address, String version, String protocol) {

	}

}
