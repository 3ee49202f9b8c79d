package io.micro4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for a go-micro greeter (v4.11 / v5, http transport), answering as go-micro-observed.md shows: every
 * request header echoed, the JSON answer followed by a newline, a handler error in {@code Micro-Error} and
 * {@code X-Micro-Error} with status 200 and an empty body, an unknown method as the plain text
 * {@code rpc: can't find method <name>}; and go-micro's debug handler's {@code Debug.Health} answering
 * {@code {"status":"ok"}}. Its registry record is the golden one with this peer's address.
 */
final class GoMicroPeer implements AutoCloseable {

	/** The node id of the golden record. */
	static final String NODE_ID = "greeter-9abfc01d-7ec9-4588-a0ec-0c008ebfd10f";

	/** The etcd key of the golden record. */
	static final String KEY = "/micro/registry/greeter/" + NODE_ID;

	/** The golden record (go-micro-observed.md) with {@code %s} for the address. */
	private static final String RECORD = "{\"name\":\"greeter\",\"version\":\"latest\",\"metadata\":null,\"endpoints\":"
			+ "[{\"request\":{\"name\":\"Request\",\"type\":\"Request\",\"values\":[{\"name\":\"name\",\"type\":"
			+ "\"string\",\"values\":null}]},\"response\":{\"name\":\"Response\",\"type\":\"Response\",\"values\":"
			+ "[{\"name\":\"msg\",\"type\":\"string\",\"values\":null}]},\"metadata\":{},\"name\":\"Greeter.Hello\"},"
			+ "{\"request\":{\"name\":\"Event\",\"type\":\"Event\",\"values\":[{\"name\":\"id\",\"type\":\"string\","
			+ "\"values\":null},{\"name\":\"message\",\"type\":\"string\",\"values\":null}]},\"response\":null,"
			+ "\"metadata\":{\"subscriber\":\"true\",\"topic\":\"greeter.events\"},\"name\":\"Sub.Handle\"}],"
			+ "\"nodes\":[{\"metadata\":{\"broker\":\"http\",\"impl\":\"go-micro\",\"protocol\":\"mucp\","
			+ "\"registry\":\"etcd\",\"server\":\"mucp\",\"transport\":\"http\"},\"id\":\"" + NODE_ID
			+ "\",\"address\":\"%s\"}]}";

	private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");

	private final HttpServer server;

	/** The headers of every request received, in order (keys as the JDK server canonicalises them). */
	final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();

	GoMicroPeer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** {@code 127.0.0.1:<port>}. */
	String address() {
		return "127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** The golden registry record pointing at this peer. */
	String record() {
		return RECORD.formatted(address());
	}

	private void handle(HttpExchange exchange) throws IOException {
		byte[] body;
		try (InputStream in = exchange.getRequestBody()) {
			body = in.readAllBytes();
		}
		Headers request = exchange.getRequestHeaders();
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		request.forEach((key, values) -> headers.put(key, String.join(",", values)));
		this.requests.add(headers);
		Headers response = exchange.getResponseHeaders();
		headers.forEach((key, value) -> {
			if (!key.equalsIgnoreCase("Content-Length") && !key.equalsIgnoreCase("Host")
					&& !key.equalsIgnoreCase("Connection")) {
				response.set(key, value);
			}
		});
		String endpoint = headers.getOrDefault("Micro-Endpoint", "");
		String answer;
		String error = null;
		if (endpoint.equals("Greeter.Hello")) {
			Matcher name = NAME.matcher(new String(body, StandardCharsets.UTF_8));
			String who = name.find() ? name.group(1) : "";
			if (who.equals("error")) {
				error = "{\"id\":\"greeter.hello\",\"code\":400,\"detail\":\"bad name \\\"error\\\"\","
						+ "\"status\":\"Bad Request\"}";
			}
			answer = "{\"msg\":\"Hello " + who + "\"}\n";
		}
		else if (endpoint.equals("Debug.Health")) {
			answer = "{\"status\":\"ok\"}\n";
		}
		else {
			int dot = endpoint.indexOf('.');
			error = "rpc: can't find method " + endpoint.substring(dot + 1);
			answer = "";
		}
		byte[] bytes = (error != null) ? new byte[0] : answer.getBytes(StandardCharsets.UTF_8);
		if (error != null) {
			response.set("Micro-Error", error);
			response.set("X-Micro-Error", error);
		}
		response.set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, (bytes.length == 0) ? -1 : bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
