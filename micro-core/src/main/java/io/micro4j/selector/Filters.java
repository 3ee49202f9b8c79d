package io.micro4j.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;

/**
 * The built-in filters, go-micro's {@code FilterVersion}, {@code FilterLabel} and {@code FilterEndpoint}. Each
 * returns a new list and never modifies its input; a filter that leaves nothing returns an empty list, which makes
 * the selection fail with {@link NoneAvailableException}.
 */
public final class Filters {

	private Filters() {
	}

	/** Only service versions equal to {@code version}. */
	public static ServiceFilter version(String version) {
		Objects.requireNonNull(version, "version");
		return services -> services.stream().filter(service -> version.equals(service.version())).toList();
	}

	/**
	 * Only nodes whose metadata has {@code key=value}; a version left without nodes is dropped.
	 */
	public static ServiceFilter label(String key, String value) {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(value, "value");
		return services -> {
			List<Service> kept = new ArrayList<>(services.size());
			for (Service service : services) {
				List<Node> nodes = service.nodes()
					.stream()
					.filter(node -> value.equals(node.metadata().get(key)))
					.toList();
				if (!nodes.isEmpty()) {
					kept.add((nodes.size() == service.nodes().size()) ? service : service.withNodes(nodes));
				}
			}
			return List.copyOf(kept);
		};
	}

	/** Only service versions that advertise endpoint {@code endpoint} (e.g. {@code Greeter.Hello}). */
	public static ServiceFilter endpoint(String endpoint) {
		Objects.requireNonNull(endpoint, "endpoint");
		return services -> services.stream()
			.filter(service -> service.endpoints().stream().map(Endpoint::name).anyMatch(endpoint::equals))
			.toList();
	}

}
