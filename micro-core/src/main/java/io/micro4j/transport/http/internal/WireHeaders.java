package io.micro4j.transport.http.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import io.micro4j.metadata.Metadata;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Converts between Netty's HTTP headers and {@link Metadata} the way Go's {@code net/http} does for go-micro.
 * <p>
 * Keys become canonical MIME keys and only the first value of a repeated header is kept. Values travel as UTF-8
 * bytes (Go writes a string's bytes as they are), while Netty reads and writes header bytes as ISO-8859-1 chars; so
 * values are re-decoded as UTF-8 on the way in and encoded as UTF-8 bytes on the way out. Leading and trailing
 * blanks are trimmed and line breaks become spaces, as Go's {@code Header.Write} does.
 */
public final class WireHeaders {

	/** Go's {@code http.ReadRequest} moves {@code Host} out of the header map and drops chunked framing. */
	private static final Set<String> NOT_IN_REQUEST_METADATA = Set.of("Host", "Transfer-Encoding");

	private static final Set<String> NOT_IN_RESPONSE_METADATA = Set.of("Transfer-Encoding");

	private WireHeaders() {
	}

	/** The metadata a go-micro server handler would see for these request headers. */
	public static Metadata requestMetadata(HttpHeaders headers) {
		return toMetadata(headers, NOT_IN_REQUEST_METADATA);
	}

	/** The metadata go-micro's client reads from these response headers. */
	public static Metadata responseMetadata(HttpHeaders headers) {
		return toMetadata(headers, NOT_IN_RESPONSE_METADATA);
	}

	private static Metadata toMetadata(HttpHeaders headers, Set<String> skipped) {
		if (headers.isEmpty()) {
			return Metadata.empty();
		}
		Metadata.Builder metadata = Metadata.builder();
		for (Map.Entry<String, String> entry : headers) {
			String key = Metadata.canonicalKey(entry.getKey());
			if (!skipped.contains(key)) {
				metadata.putIfAbsent(key, fromWire(entry.getValue()));
			}
		}
		return metadata.build();
	}

	/**
	 * Adds every entry of {@code metadata} whose key is not in {@code skipped} (canonical keys) to {@code headers}.
	 * @throws IllegalArgumentException when a key is not a valid header name or a value holds a control character
	 */
	public static void addAll(Metadata metadata, HttpHeaders headers, Set<String> skipped) {
		metadata.forEach((key, value) -> {
			if (!skipped.contains(key)) {
				headers.add(key, toWire(value));
			}
		});
	}

	/** {@code value} as it goes on the wire: trimmed, line breaks as spaces, UTF-8 bytes. */
	public static CharSequence toWire(String value) {
		String clean = value;
		if (clean.indexOf('\r') >= 0 || clean.indexOf('\n') >= 0) {
			clean = clean.replace('\r', ' ').replace('\n', ' ');
		}
		clean = trimBlanks(clean);
		for (int i = 0; i < clean.length(); i++) {
			if (clean.charAt(i) >= 0x80) {
				return new AsciiString(clean.getBytes(StandardCharsets.UTF_8), false);
			}
		}
		return clean;
	}

	/** A header value read by Netty (bytes as ISO-8859-1 chars) as the UTF-8 text it carries. */
	public static String fromWire(String value) {
		boolean ascii = true;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c > 0xFF) {
				return value;
			}
			if (c >= 0x80) {
				ascii = false;
			}
		}
		if (ascii) {
			return value;
		}
		byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
		try {
			CharBuffer decoded = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			return decoded.toString();
		}
		catch (CharacterCodingException ex) {
			return value;
		}
	}

	private static String trimBlanks(String value) {
		int start = 0;
		int end = value.length();
		while (start < end && isBlank(value.charAt(start))) {
			start++;
		}
		while (end > start && isBlank(value.charAt(end - 1))) {
			end--;
		}
		return (start == 0 && end == value.length()) ? value : value.substring(start, end);
	}

	private static boolean isBlank(char c) {
		return c == ' ' || c == '\t';
	}

}
