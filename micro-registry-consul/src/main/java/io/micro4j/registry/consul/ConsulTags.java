package io.micro4j.registry.consul;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import io.micro4j.registry.Endpoint;
import io.micro4j.registry.InvalidRecordException;
import io.micro4j.registry.RegistryCodec;
import io.micro4j.registry.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * go-micro's Consul tags: the node metadata, the endpoints and the version of a service, each as
 * {@code <kind>-<hex(zlib(payload))>}.
 * <ul>
 * <li>{@code t-}: one tag per metadata entry, the payload the JSON object {@code {"key":"value"}};</li>
 * <li>{@code e-}: one tag per endpoint, the payload the endpoint's JSON ({@link RegistryCodec#encodeEndpoint});</li>
 * <li>{@code v-}: the version, the payload the raw version string.</li>
 * </ul>
 * Reading also accepts go-micro's legacy plain forms {@code t=<json>}, {@code e=<json>} and {@code v=<version>}; as
 * in go-micro, the first form seen for {@code t} and for {@code e} (encoded or plain) is kept and tags of the other
 * form are ignored. Compression is the JDK's {@link Deflater}: its bytes differ from Go's {@code compress/zlib}
 * (which ends with an empty stored block) but both decode everywhere, so tags are compared by decoding, never by
 * their hex.
 */
public final class ConsulTags {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final HexFormat HEX = HexFormat.of();

	private static final int MAX_INFLATED = 1 << 20;

	private ConsulTags() {
	}

	/** The tags of one node of {@code service}: its metadata, then the endpoints, then the version (last). */
	public static List<String> encode(Service service, Map<String, String> nodeMetadata) {
		Objects.requireNonNull(service, "service");
		Objects.requireNonNull(nodeMetadata, "nodeMetadata");
		List<String> tags = new ArrayList<>(nodeMetadata.size() + service.endpoints().size() + 1);
		nodeMetadata.forEach((key, value) -> tags.add("t-" + hexZlib(MAPPER.writeValueAsString(Map.of(key, value)))));
		for (Endpoint endpoint : service.endpoints()) {
			tags.add("e-" + hexZlib(RegistryCodec.encodeEndpoint(endpoint)));
		}
		tags.add("v-" + hexZlib(service.version()));
		return tags;
	}

	/**
	 * Reads the tags of one Consul service entry.
	 * @return the decoded metadata, endpoints and version ({@code null} when there is no version tag)
	 * @throws InvalidRecordException if a tag of kind {@code t}, {@code e} or {@code v} does not decode (other tags
	 * are ignored)
	 */
	public static Decoded decode(List<String> tags) {
		Objects.requireNonNull(tags, "tags");
		Map<String, String> metadata = new LinkedHashMap<>();
		List<Endpoint> endpoints = new ArrayList<>();
		String version = null;
		Character metadataForm = null;
		Character endpointForm = null;
		for (String tag : tags) {
			if (tag == null || tag.length() < 2) {
				continue;
			}
			char kind = tag.charAt(0);
			char form = tag.charAt(1);
			if ((form != '-' && form != '=') || (kind != 't' && kind != 'e' && kind != 'v')) {
				continue;
			}
			String payload = payload(tag, form);
			switch (kind) {
				case 't' -> {
					if (metadataForm == null) {
						metadataForm = form;
					}
					if (metadataForm == form) {
						JsonNode node = json(payload, tag);
						if (!node.isObject()) {
							throw new InvalidRecordException("tag " + abbreviate(tag) + " is not a JSON object");
						}
						for (Map.Entry<String, JsonNode> entry : node.properties()) {
							if (!entry.getValue().isString()) {
								throw new InvalidRecordException("tag " + abbreviate(tag) + " has a non-string value");
							}
							metadata.put(entry.getKey(), entry.getValue().asString());
						}
					}
				}
				case 'e' -> {
					if (endpointForm == null) {
						endpointForm = form;
					}
					if (endpointForm == form) {
						endpoints.add(RegistryCodec.decodeEndpoint(payload));
					}
				}
				default -> version = payload;
			}
		}
		return new Decoded(metadata, endpoints, version);
	}

	/** {@code hex(zlib(text))}: the encoding of every {@code -} tag's payload. */
	public static String hexZlib(String text) {
		Deflater deflater = new Deflater();
		try {
			deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
			deflater.finish();
			ByteArrayOutputStream out = new ByteArrayOutputStream(64);
			byte[] buffer = new byte[256];
			while (!deflater.finished()) {
				out.write(buffer, 0, deflater.deflate(buffer));
			}
			return HEX.formatHex(out.toByteArray());
		}
		finally {
			deflater.end();
		}
	}

	/**
	 * The text encoded by {@link #hexZlib} (or by go-micro's Go code).
	 * @throws InvalidRecordException if {@code hex} is not hexadecimal zlib data of UTF-8 text
	 */
	public static String unhexZlib(String hex) {
		byte[] compressed;
		try {
			compressed = HEX.parseHex(hex);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRecordException("not hexadecimal: " + abbreviate(hex));
		}
		Inflater inflater = new Inflater();
		try {
			inflater.setInput(compressed);
			ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 3);
			byte[] buffer = new byte[512];
			while (!inflater.finished()) {
				int n = inflater.inflate(buffer);
				if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
					throw new InvalidRecordException("truncated zlib data: " + abbreviate(hex));
				}
				out.write(buffer, 0, n);
				if (out.size() > MAX_INFLATED) {
					throw new InvalidRecordException("zlib data inflates beyond " + MAX_INFLATED + " bytes");
				}
			}
			return out.toString(StandardCharsets.UTF_8);
		}
		catch (DataFormatException ex) {
			throw new InvalidRecordException("not zlib data: " + abbreviate(hex) + " (" + ex.getMessage() + ")");
		}
		finally {
			inflater.end();
		}
	}

	private static String payload(String tag, char form) {
		String rest = tag.substring(2);
		return (form == '-') ? unhexZlib(rest) : rest;
	}

	private static JsonNode json(String payload, String tag) {
		try {
			return MAPPER.readTree(payload);
		}
		catch (JacksonException ex) {
			throw new InvalidRecordException("tag " + abbreviate(tag) + " is not JSON");
		}
	}

	private static String abbreviate(String text) {
		return (text.length() <= 80) ? text : text.substring(0, 77) + "...";
	}

	/**
	 * The content of one entry's tags.
	 * @param metadata the node metadata from the {@code t} tags
	 * @param endpoints the endpoints from the {@code e} tags
	 * @param version the version from the {@code v} tag, {@code null} when there is none
	 */
	public record Decoded(Map<String, String> metadata, List<Endpoint> endpoints,
			@org.jspecify.annotations.Nullable String version) {

		/** Copies the collections. */
		public Decoded {
			metadata = Map.copyOf(metadata);
			endpoints = List.copyOf(endpoints);
		}

	}

}
