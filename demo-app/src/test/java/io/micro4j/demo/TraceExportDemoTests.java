package io.micro4j.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trace export set-up of docs/observability.md, end to end: with OpenTelemetry's OTLP exporter on the class path
 * and {@code management.opentelemetry.tracing.export.otlp.endpoint} set, one {@code GET /hello} exports the spans of
 * the controller, the micro client call, the server call and the broker messages to an OTLP/HTTP receiver (here a
 * plain HTTP server recording what it is sent).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "micro.server.address=127.0.0.1:0")
class TraceExportDemoTests {

	private static final List<byte[]> exports = new CopyOnWriteArrayList<>();

	private static final HttpServer receiver = startReceiver();

	@Value("${local.server.port}")
	private int port;

	@DynamicPropertySource
	static void otlp(DynamicPropertyRegistry registry) {
		registry.add("management.opentelemetry.tracing.export.otlp.endpoint",
				() -> "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces");
	}

	@AfterAll
	static void stopReceiver() {
		receiver.stop(0);
	}

	@Test
	void whenHelloIsCalledThenTheMicroSpansAreExportedOverOtlp() throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/hello?name=Otto"))
					.timeout(Duration.ofSeconds(30))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);

		// OTLP/HTTP protobuf: span names and attribute values travel as plain UTF-8 strings
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			String exported = String.join("\n",
					exports.stream().map(bytes -> new String(bytes, StandardCharsets.ISO_8859_1)).toList());
			assertThat(exported).contains("Greeter.Hello").contains("greeter.events");
		});
	}

	private static HttpServer startReceiver() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/v1/traces", exchange -> {
				try (InputStream body = exchange.getRequestBody()) {
					exports.add(body.readAllBytes());
				}
				exchange.sendResponseHeaders(200, -1);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
