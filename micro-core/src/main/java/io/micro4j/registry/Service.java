package io.micro4j.registry;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A service as go-micro's registry holds it: one record per version, service-level fields repeated for every node.
 *
 * @param name the service name, e.g. {@code greeter}
 * @param version the version, {@code latest} by default
 * @param metadata service metadata (go-micro servers leave it empty)
 * @param endpoints the advertised endpoints
 * @param nodes the running nodes
 */
public record Service(String name, String version, Map<String, String> metadata, List<Endpoint> endpoints,
		List<Node> nodes) {

	/** go-micro's default version. */
	public static final String DEFAULT_VERSION = "latest";

	public Service {
		Objects.requireNonNull(name, "name");
		version = (version != null) ? version : "";
		metadata = (metadata != null) ? Map.copyOf(metadata) : Map.of();
		endpoints = (endpoints != null) ? List.copyOf(endpoints) : List.of();
		nodes = (nodes != null) ? List.copyOf(nodes) : List.of();
	}

	public static Service of(String name, String version, List<Node> nodes) {
		return new Service(name, version, Map.of(), List.of(), nodes);
	}

	/** A copy holding {@code nodes} instead. */
	public Service withNodes(List<Node> nodes) {
		return new Service(this.name, this.version, this.metadata, this.endpoints, nodes);
	}

	/** A copy holding {@code endpoints} instead. */
	public Service withEndpoints(List<Endpoint> endpoints) {
		return new Service(this.name, this.version, this.metadata, endpoints, this.nodes);
	}

}
