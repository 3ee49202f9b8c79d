package io.micro4j.broker;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.micro4j.internal.JsonText;
import io.micro4j.metadata.Metadata;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * go-micro's broker envelope: a {@link Message} as the JSON that Go's {@code encoding/json} writes for
 * {@code broker.Message{Header map[string]string, Body []byte}}. The http and NATS brokers carry it as their payload.
 * <pre>
 * {"Header":{"Content-Type":"application/json","Micro-ID":"014f4caf-…","Micro-Topic":"t"},"Body":"eyJpZCI6IjEifQo="}
 * </pre>
 * {@link #encode} writes exactly Go's bytes: the keys {@code Header} then {@code Body}, header keys sorted by their
 * UTF-8 bytes (as Go sorts map keys), Go's string escapes (HTML-safe), the body in standard base64 with padding, no
 * whitespace. Header keys are written as {@link Metadata} holds them (canonical MIME form) except go-micro's reserved
 * {@code Micro-ID}, {@code Micro-Span-ID} and {@code Micro-Trace-ID}, which are written in go-micro's spelling.
 * {@link #decode} reads what Go's decoder accepts: field names in any case, fields in any order, unknown fields
 * ignored, {@code null} header or body as empty; header keys are canonicalised ({@code Micro-ID} becomes
 * {@code Micro-Id}).
 */
public final class Envelope {

	/** The error id of envelope failures: {@value}. */
	public static final String ERROR_ID = "go.micro.broker";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** Canonical keys that go-micro spells differently ({@code transport/headers}). */
	private static final Map<String, String> GO_SPELLING = Map.of("Micro-Id", "Micro-ID", "Micro-Span-Id",
			"Micro-Span-ID", "Micro-Trace-Id", "Micro-Trace-ID");

	private static final int MAX_ERROR_EXCERPT = 64;

	private Envelope() {
	}

	/** The envelope of {@code message} as UTF-8 JSON bytes, byte for byte as go-micro writes it. */
	public static byte[] encode(Message message) {
		Objects.requireNonNull(message, "message");
		Metadata headers = message.headers();
		String[][] entries = new String[headers.size()][];
		int i = 0;
		for (Map.Entry<String, String> entry : headers.asMap().entrySet()) {
			String key = GO_SPELLING.getOrDefault(entry.getKey(), entry.getKey());
			entries[i++] = new String[] { key, entry.getValue() };
		}
		Arrays.sort(entries, (a, b) -> compareUtf8(a[0], b[0]));
		byte[] body = message.body();
		StringBuilder json = new StringBuilder(64 + headers.size() * 48 + (body.length + 2) / 3 * 4);
		json.append("{\"Header\":{");
		for (int j = 0; j < entries.length; j++) {
			if (j > 0) {
				json.append(',');
			}
			JsonText.appendString(json, entries[j][0]);
			json.append(':');
			JsonText.appendString(json, entries[j][1]);
		}
		json.append("},\"Body\":");
		if (body.length == 0) {
			// Go writes a nil []byte as null and an empty one as ""; go-micro's codecs never produce nil
			json.append("\"\"");
		}
		else {
			json.append('"').append(Base64.getEncoder().encodeToString(body)).append('"');
		}
		json.append('}');
		return json.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The message in an envelope.
	 * @throws InvalidEnvelopeException (400) when {@code json} is not a JSON object, a header value is not a string,
	 * or the body is not a base64 string
	 */
	public static Message decode(byte[] json) {
		Objects.requireNonNull(json, "json");
		JsonNode root;
		try {
			root = MAPPER.readTree(json);
		}
		catch (JacksonException ex) {
			throw new InvalidEnvelopeException("malformed broker envelope: " + excerpt(json), ex);
		}
		if (root == null || !root.isObject()) {
			throw new InvalidEnvelopeException("broker envelope is not a JSON object: " + excerpt(json));
		}
		@Nullable JsonNode header = null;
		@Nullable JsonNode body = null;
		for (Map.Entry<String, JsonNode> field : root.properties()) {
			// Go matches struct fields case-insensitively; a later duplicate wins
			if ("Header".equalsIgnoreCase(field.getKey())) {
				header = field.getValue();
			}
			else if ("Body".equalsIgnoreCase(field.getKey())) {
				body = field.getValue();
			}
		}
		return new Message(headers(header), body(body));
	}

	private static Metadata headers(@Nullable JsonNode header) {
		if (header == null || header.isNull()) {
			return Metadata.empty();
		}
		if (!header.isObject()) {
			throw new InvalidEnvelopeException("broker envelope Header is not an object but " + header.getNodeType());
		}
		Map<String, String> map = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> entry : header.properties()) {
			JsonNode value = entry.getValue();
			if (value.isNull()) {
				map.put(entry.getKey(), "");
			}
			else if (value.isString()) {
				map.put(entry.getKey(), value.asString());
			}
			else {
				throw new InvalidEnvelopeException(
						"broker envelope header " + entry.getKey() + " is not a string but " + value.getNodeType());
			}
		}
		return Metadata.of(map);
	}

	private static byte[] body(@Nullable JsonNode body) {
		if (body == null || body.isNull()) {
			return new byte[0];
		}
		if (!body.isString()) {
			throw new InvalidEnvelopeException("broker envelope Body is not a base64 string but " + body.getNodeType());
		}
		String text = body.asString();
		if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
			// Go's base64 decoder skips line breaks
			text = text.replace("\r", "").replace("\n", "");
		}
		try {
			return Base64.getDecoder().decode(text);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEnvelopeException("broker envelope Body is not base64: " + ex.getMessage(), ex);
		}
	}

	/** Orders strings by their UTF-8 bytes, as Go compares strings. */
	static int compareUtf8(String a, String b) {
		int n = Math.min(a.length(), b.length());
		for (int i = 0; i < n; i++) {
			char x = a.charAt(i);
			char y = b.charAt(i);
			if (x != y) {
				// UTF-16 order is UTF-8 byte order, except that a surrogate (a code point above U+FFFF) sorts
				// after every other char
				boolean xs = Character.isSurrogate(x);
				boolean ys = Character.isSurrogate(y);
				if (xs != ys) {
					return xs ? 1 : -1;
				}
				return x - y;
			}
		}
		return a.length() - b.length();
	}

	private static String excerpt(byte[] json) {
		String text = new String(json, 0, Math.min(json.length, MAX_ERROR_EXCERPT), StandardCharsets.UTF_8);
		return quote(text) + ((json.length > MAX_ERROR_EXCERPT) ? "..." : "");
	}

	private static String quote(String text) {
		StringBuilder sb = new StringBuilder();
		JsonText.appendString(sb, text);
		return sb.toString();
	}

}
