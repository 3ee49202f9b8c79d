package io.micro4j.registry.consul.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micro4j.registry.InvalidRecordException;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.registry.consul.ConsulTags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Turns the answer of {@code /v1/health/service/<name>} into go-micro's services: entries of another service are
 * skipped, a node with a critical check is dropped, entries are grouped by their decoded version (the first entry
 * of a version supplying the endpoints), the address is the service's (else the agent node's) joined with the port,
 * the metadata comes from the {@code t} tags. A malformed entry is skipped with one warning.
 */
public final class EntryReader {

	static final int REMEMBERED = 1024;

	private static final Logger logger = LoggerFactory.getLogger(EntryReader.class);

	private final Map<String, Boolean> reported = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {

		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > REMEMBERED;
		}

	});

	/** The versions of service {@code name} in {@code entries} (a JSON array; anything else reads as none). */
	public List<Service> read(String name, JsonNode entries) {
		Map<String, Service> first = new LinkedHashMap<>();
		Map<String, List<Node>> nodes = new LinkedHashMap<>();
		if (!entries.isArray()) {
			return List.of();
		}
		for (JsonNode entry : entries) {
			Service service = readEntry(name, entry);
			if (service == null) {
				continue;
			}
			first.putIfAbsent(service.version(), service);
			nodes.computeIfAbsent(service.version(), v -> new ArrayList<>()).addAll(service.nodes());
		}
		List<Service> merged = new ArrayList<>(first.size());
		first.forEach((version, service) -> merged.add(service.withNodes(nodes.get(version))));
		return List.copyOf(merged);
	}

	private @org.jspecify.annotations.Nullable Service readEntry(String name, JsonNode entry) {
		JsonNode service = entry.path("Service");
		if (!name.equals(service.path("Service").asString(""))) {
			return null;
		}
		for (JsonNode check : entry.path("Checks")) {
			if ("critical".equals(check.path("Status").asString(""))) {
				return null;
			}
		}
		String id = service.path("ID").asString("");
		try {
			if (id.isEmpty()) {
				throw new InvalidRecordException("entry without a service ID");
			}
			List<String> tags = new ArrayList<>();
			for (JsonNode tag : service.path("Tags")) {
				tags.add(tag.asString(""));
			}
			ConsulTags.Decoded decoded = ConsulTags.decode(tags);
			String host = service.path("Address").asString("");
			if (host.isEmpty()) {
				host = entry.path("Node").path("Address").asString("");
			}
			int port = service.path("Port").asInt(0);
			String address = (host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]:" + port
					: host + ":" + port;
			String version = (decoded.version() != null) ? decoded.version() : "";
			return new Service(name, version, Map.of(), decoded.endpoints(),
					List.of(new Node(id, address, decoded.metadata())));
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			String key = name + "/" + id + "@" + service.path("ModifyIndex").asLong(0);
			if (this.reported.put(key, Boolean.TRUE) == null) {
				logger.warn("Skipping Consul entry {} of service {}: {}", id, name, ex.getMessage());
			}
			return null;
		}
	}

}
