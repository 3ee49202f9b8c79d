package io.micro4j.transport.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes HTTP/1.1 messages byte by byte over plain sockets, so tests see exactly what went over the wire.
 */
final class RawHttp {

	/** The unary call a go-micro client sends, verbatim from go-micro-observed.md (only Host differs). */
	static byte[] goMicroUnaryCall(String host) {
		String head = "POST / HTTP/1.1\r\n" + "Host: " + host + "\r\n" + "User-Agent: Go-http-client/1.1\r\n"
				+ "Content-Length: 16\r\n" + "Accept: application/json\r\n" + "Content-Type: application/json\r\n"
				+ "Micro-Endpoint: Greeter.Hello\r\n" + "Micro-Id: 0\r\n" + "Micro-Method: Greeter.Hello\r\n"
				+ "Micro-Service: greeter\r\n" + "Timeout: 5000000000\r\n" + "\r\n";
		return concat(head.getBytes(StandardCharsets.ISO_8859_1), "{\"name\":\"John\"}\n".getBytes(StandardCharsets.UTF_8));
	}

	/** A minimal POST with the given body and extra header lines (each without CRLF). */
	static byte[] post(String body, String... headerLines) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\nHost: test\r\n");
		for (String line : headerLines) {
			head.append(line).append("\r\n");
		}
		head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
		return concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), bytes);
	}

	static byte[] concat(byte[] a, byte[] b) {
		byte[] out = new byte[a.length + b.length];
		System.arraycopy(a, 0, out, 0, a.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

	/** One HTTP message: the start line, the header lines in order, the body. */
	record Message(String startLine, List<Map.Entry<String, String>> headers, byte[] body) {

		int status() {
			return Integer.parseInt(this.startLine.split(" ")[1]);
		}

		List<String> headerNames() {
			return this.headers.stream().map(Map.Entry::getKey).toList();
		}

		/** The first value of header {@code name} (any case), or {@code null}. */
		String header(String name) {
			return this.headers.stream()
				.filter(e -> e.getKey().equalsIgnoreCase(name))
				.map(Map.Entry::getValue)
				.findFirst()
				.orElse(null);
		}

		String bodyText() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

	/**
	 * Reads one message whose body length is given by {@code Content-Length} (none: empty body).
	 * @throws EOFException when the stream ends before the start line
	 */
	static Message read(InputStream in) throws IOException {
		String start = readLine(in);
		if (start == null) {
			throw new EOFException("connection closed before a message");
		}
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		String line;
		while ((line = readLine(in)) != null && !line.isEmpty()) {
			int colon = line.indexOf(':');
			headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).trim()));
		}
		int length = 0;
		for (Map.Entry<String, String> header : headers) {
			if (header.getKey().equalsIgnoreCase("Content-Length")) {
				length = Integer.parseInt(header.getValue());
			}
		}
		byte[] body = in.readNBytes(length);
		if (body.length < length) {
			throw new EOFException("body cut short: " + body.length + " of " + length + " bytes");
		}
		return new Message(start, headers, body);
	}

	/** A CRLF-terminated line as UTF-8 without the CRLF, or {@code null} at the end of the stream. */
	static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1) {
			if (b == '\n') {
				byte[] bytes = line.toByteArray();
				int n = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
				return new String(bytes, 0, n, StandardCharsets.UTF_8);
			}
			line.write(b);
		}
		return (line.size() == 0) ? null : line.toString(StandardCharsets.UTF_8);
	}

	private RawHttp() {
	}

}
