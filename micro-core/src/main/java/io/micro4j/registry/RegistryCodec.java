package io.micro4j.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micro4j.internal.JsonText;
import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * go-micro's JSON form of registry records.
 * <p>
 * Writing produces the bytes go-micro v4.10.2+ / v5 / v6 write with {@code encoding/json}: fields in declaration
 * order ({@code Service{name,version,metadata,endpoints,nodes}}, {@code Endpoint{request,response,metadata,name}},
 * {@code Node{metadata,id,address}}, {@code Value{name,type,values}}), map keys sorted, HTML-safe escapes, and
 * {@code null} for absent maps and lists. Which maps are absent follows what go-micro's server writes: an empty
 * service or node metadata map, an empty endpoint or node list and empty child values are written as {@code null};
 * an endpoint's metadata is always an object ({@code {}} when empty).
 * <p>
 * Reading accepts any field order (both the pre-v4.10.2 and the current one), {@code null} for any map, list or
 * value, and unknown extra fields. Input that is not such a record fails with {@link InvalidRecordException}.
 */
public final class RegistryCodec {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private RegistryCodec() {
	}

	/** The record as go-micro writes it, as a string. */
	public static String encode(Service service) {
		StringBuilder sb = new StringBuilder(256);
		sb.append("{\"name\":");
		JsonText.appendString(sb, service.name());
		sb.append(",\"version\":");
		JsonText.appendString(sb, service.version());
		sb.append(",\"metadata\":");
		appendMap(sb, service.metadata(), true);
		sb.append(",\"endpoints\":");
		if (service.endpoints().isEmpty()) {
			sb.append("null");
		}
		else {
			sb.append('[');
			for (int i = 0; i < service.endpoints().size(); i++) {
				if (i > 0) {
					sb.append(',');
				}
				appendEndpoint(sb, service.endpoints().get(i));
			}
			sb.append(']');
		}
		sb.append(",\"nodes\":");
		if (service.nodes().isEmpty()) {
			sb.append("null");
		}
		else {
			sb.append('[');
			for (int i = 0; i < service.nodes().size(); i++) {
				if (i > 0) {
					sb.append(',');
				}
				appendNode(sb, service.nodes().get(i));
			}
			sb.append(']');
		}
		return sb.append('}').toString();
	}

	/** The record as go-micro writes it, UTF-8 encoded. */
	public static byte[] encodeBytes(Service service) {
		return encode(service).getBytes(StandardCharsets.UTF_8);
	}

	/** One endpoint as go-micro writes it (the payload of a Consul {@code e-} tag). */
	public static String encodeEndpoint(Endpoint endpoint) {
		StringBuilder sb = new StringBuilder(128);
		appendEndpoint(sb, endpoint);
		return sb.toString();
	}

	/** Reads a record. */
	public static Service decode(byte[] json) {
		return decode(new String(json, StandardCharsets.UTF_8));
	}

	/** Reads a record. */
	public static Service decode(String json) {
		JsonNode root = parse(json);
		if (!root.isObject()) {
			throw new InvalidRecordException("registry record is not a JSON object: " + abbreviate(json));
		}
		String name = text(root, "name");
		if (name == null || name.isEmpty()) {
			throw new InvalidRecordException("registry record has no name: " + abbreviate(json));
		}
		String version = text(root, "version");
		List<Endpoint> endpoints = new ArrayList<>();
		for (JsonNode e : array(root.get("endpoints"))) {
			endpoints.add(readEndpoint(e));
		}
		List<Node> nodes = new ArrayList<>();
		for (JsonNode n : array(root.get("nodes"))) {
			if (!n.isObject()) {
				throw new InvalidRecordException("node is not an object in record of " + name);
			}
			String id = text(n, "id");
			String address = text(n, "address");
			if (id == null || address == null) {
				throw new InvalidRecordException("node without id or address in record of " + name);
			}
			nodes.add(new Node(id, address, map(n.get("metadata"))));
		}
		return new Service(name, (version != null) ? version : "", map(root.get("metadata")), endpoints, nodes);
	}

	/** Reads one endpoint (the payload of a Consul {@code e-} tag). */
	public static Endpoint decodeEndpoint(String json) {
		return readEndpoint(parse(json));
	}

	private static JsonNode parse(String json) {
		try {
			JsonNode root = MAPPER.readTree(json);
			if (root == null || root.isMissingNode()) {
				throw new InvalidRecordException("empty registry record");
			}
			return root;
		}
		catch (JacksonException ex) {
			throw new InvalidRecordException("malformed registry record: " + abbreviate(json), ex);
		}
	}

	private static Endpoint readEndpoint(JsonNode e) {
		if (!e.isObject()) {
			throw new InvalidRecordException("endpoint is not an object");
		}
		String name = text(e, "name");
		if (name == null) {
			throw new InvalidRecordException("endpoint without name");
		}
		return new Endpoint(name, readValue(e.get("request"), 0), readValue(e.get("response"), 0), map(e.get("metadata")));
	}

	private static @Nullable Value readValue(@Nullable JsonNode v, int depth) {
		if (v == null || v.isNull() || !v.isObject() || depth > 16) {
			return null;
		}
		List<Value> children = new ArrayList<>();
		for (JsonNode c : array(v.get("values"))) {
			Value child = readValue(c, depth + 1);
			if (child != null) {
				children.add(child);
			}
		}
		String name = text(v, "name");
		String type = text(v, "type");
		return new Value((name != null) ? name : "", (type != null) ? type : "", children);
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode v = node.get(field);
		if (v == null || v.isNull()) {
			return null;
		}
		if (!v.isString()) {
			throw new InvalidRecordException("field '" + field + "' is not a string");
		}
		return v.asString();
	}

	private static Iterable<JsonNode> array(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return List.of();
		}
		if (!node.isArray()) {
			throw new InvalidRecordException("expected a JSON array but found " + node.getNodeType());
		}
		return node.values();
	}

	private static Map<String, String> map(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return Map.of();
		}
		if (!node.isObject()) {
			throw new InvalidRecordException("expected a JSON object but found " + node.getNodeType());
		}
		Map<String, String> map = new TreeMap<>();
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			JsonNode v = entry.getValue();
			if (v != null && !v.isNull()) {
				map.put(entry.getKey(), v.isString() ? v.asString() : v.toString());
			}
		}
		return map;
	}

	private static void appendEndpoint(StringBuilder sb, Endpoint endpoint) {
		sb.append("{\"request\":");
		appendValue(sb, endpoint.request());
		sb.append(",\"response\":");
		appendValue(sb, endpoint.response());
		sb.append(",\"metadata\":");
		appendMap(sb, endpoint.metadata(), false);
		sb.append(",\"name\":");
		JsonText.appendString(sb, endpoint.name());
		sb.append('}');
	}

	private static void appendNode(StringBuilder sb, Node node) {
		sb.append("{\"metadata\":");
		appendMap(sb, node.metadata(), true);
		sb.append(",\"id\":");
		JsonText.appendString(sb, node.id());
		sb.append(",\"address\":");
		JsonText.appendString(sb, node.address());
		sb.append('}');
	}

	private static void appendValue(StringBuilder sb, @Nullable Value value) {
		if (value == null) {
			sb.append("null");
			return;
		}
		sb.append("{\"name\":");
		JsonText.appendString(sb, value.name());
		sb.append(",\"type\":");
		JsonText.appendString(sb, value.type());
		sb.append(",\"values\":");
		if (value.values().isEmpty()) {
			sb.append("null");
		}
		else {
			sb.append('[');
			for (int i = 0; i < value.values().size(); i++) {
				if (i > 0) {
					sb.append(',');
				}
				appendValue(sb, value.values().get(i));
			}
			sb.append(']');
		}
		sb.append('}');
	}

	private static void appendMap(StringBuilder sb, Map<String, String> map, boolean nullWhenEmpty) {
		if (map.isEmpty()) {
			sb.append(nullWhenEmpty ? "null" : "{}");
			return;
		}
		sb.append('{');
		boolean first = true;
		for (Map.Entry<String, String> entry : new TreeMap<>(map).entrySet()) {
			if (!first) {
				sb.append(',');
			}
			first = false;
			JsonText.appendString(sb, entry.getKey());
			sb.append(':');
			JsonText.appendString(sb, entry.getValue());
		}
		sb.append('}');
	}

	private static String abbreviate(String text) {
		return (text.length() <= 120) ? text : text.substring(0, 120) + "...";
	}

}
