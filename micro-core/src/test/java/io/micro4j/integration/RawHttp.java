package io.micro4j.integration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends exact request bytes over a plain socket and reads one HTTP/1.1 response, so tests see the wire as a Go
 * peer does.
 */
final class RawHttp implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	RawHttp(int port) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		this.socket.setSoTimeout(10_000);
		this.in = this.socket.getInputStream();
		this.out = this.socket.getOutputStream();
	}

	/** A go-micro client's request for {@code endpoint} with {@code body}, headers as go-micro sends them. */
	static byte[] goMicroRequest(int port, String endpoint, byte[] body) {
		String head = "POST / HTTP/1.1\r\n" + "Host: 127.0.0.1:" + port + "\r\n" + "User-Agent: Go-http-client/1.1\r\n"
				+ "Content-Length: " + body.length + "\r\n" + "Accept: application/json\r\n"
				+ "Content-Type: application/json\r\n" + "Micro-Endpoint: " + endpoint + "\r\n" + "Micro-Id: 0\r\n"
				+ "Micro-Method: " + endpoint + "\r\n" + "Micro-Service: greeter\r\n" + "Timeout: 5000000000\r\n\r\n";
		byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
		byte[] all = new byte[headBytes.length + body.length];
		System.arraycopy(headBytes, 0, all, 0, headBytes.length);
		System.arraycopy(body, 0, all, headBytes.length, body.length);
		return all;
	}

	Reply exchange(byte[] request) throws IOException {
		this.out.write(request);
		this.out.flush();
		return read();
	}

	Reply read() throws IOException {
		String status = line();
		Map<String, String> headers = new LinkedHashMap<>();
		for (String line = line(); !line.isEmpty(); line = line()) {
			int colon = line.indexOf(':');
			headers.put(line.substring(0, colon), line.substring(colon + 1).trim());
		}
		int length = Integer.parseInt(headers.getOrDefault("Content-Length", headers.getOrDefault("content-length", "0")));
		byte[] body = this.in.readNBytes(length);
		return new Reply(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
	}

	private String line() throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		int b;
		while ((b = this.in.read()) != -1) {
			if (b == '\n') {
				break;
			}
			if (b != '\r') {
				buffer.write(b);
			}
		}
		if (b == -1 && buffer.size() == 0) {
			throw new IOException("connection closed");
		}
		return buffer.toString(StandardCharsets.ISO_8859_1);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** One response: status, headers in wire order (names as sent), body. */
	record Reply(int status, Map<String, String> headers, String body) {

		String header(String name) {
			for (Map.Entry<String, String> entry : this.headers.entrySet()) {
				if (entry.getKey().equalsIgnoreCase(name)) {
					return entry.getValue();
				}
			}
			return null;
		}

	}

}
