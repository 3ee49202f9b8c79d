package io.micro4j.registry;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One running instance of a service.
 *
 * @param id unique node id, {@code <service>-<uuid>} for nodes a server registers
 * @param address {@code host:port}
 * @param metadata node metadata ({@code protocol}, {@code transport}, {@code broker}, {@code registry},
 * {@code server} and the user's own entries)
 */
public record Node(String id, String address, Map<String, String> metadata) {

	public Node {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(address, "address");
		metadata = (metadata != null) ? Map.copyOf(metadata) : Map.of();
	}

	public static Node of(String id, String address) {
		return new Node(id, address, Map.of());
	}

	/** A copy with {@code key=value} added to the metadata. */
	public Node withMetadata(String key, String value) {
		Map<String, String> copy = new HashMap<>(this.metadata);
		copy.put(key, value);
		return new Node(this.id, this.address, copy);
	}

}
