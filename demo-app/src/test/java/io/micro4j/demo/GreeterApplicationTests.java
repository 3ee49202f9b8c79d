package io.micro4j.demo;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.micro4j.demo.greeter.GreeterClient;
import io.micro4j.demo.greeter.HelloRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.micro4j.demo.BrokerEventsAssertions.line;
import static io.micro4j.demo.BrokerEventsAssertions.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo end to end: {@code GET /hello} → {@code Greeter.Hello} over mucp → an event on {@code greeter.events},
 * with one trace id in the log lines of the controller, the handler and the subscriber.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "micro.server.address=127.0.0.1:0")
@ExtendWith(OutputCaptureExtension.class)
class GreeterApplicationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private GreeterClient greeter;

	private HttpResponse<String> get(String pathAndQuery) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + pathAndQuery))
			.timeout(Duration.ofSeconds(30))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void whenHelloIsCalledThenTheAnswerIsJsonAndControllerHandlerAndSubscriberLogOneTraceId(CapturedOutput output)
			throws Exception {
		HttpResponse<String> response = get("/hello?name=John");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"msg\":\"Hello John\"}");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output.getAll()).contains("message=Hello John"));
		String controller = traceId(line(output, "GET /hello name=John"));
		String handler = traceId(line(output, "Greeter.Hello handling name=John"));
		String subscriber = traceId(line(output, "message=Hello John"));
		assertThat(line(output, "message=Hello John")).contains("greeter.events");
		assertThat(handler).isEqualTo(controller);
		assertThat(subscriber).isEqualTo(controller);
	}

	@Test
	void whenHealthIsAskedThenTheRegistryAndBrokerComponentsAreUpWithTheirTypes() throws Exception {
		HttpResponse<String> response = get("/actuator/health");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode components = JSON.readTree(response.body()).path("components");
		assertThat(components.path("micro-registry").path("status").asString()).isEqualTo("UP");
		assertThat(components.path("micro-registry").path("details").path("type").asString()).isEqualTo("memory");
		assertThat(components.path("micro-broker").path("status").asString()).isEqualTo("UP");
		assertThat(components.path("micro-broker").path("details").path("type").asString()).isEqualTo("memory");
	}

	@Test
	void whenTheMicroEndpointIsAskedAfterACallThenItShowsTheHandlerAndTheNodeTheClientSees() throws Exception {
		get("/hello?name=Jane");

		HttpResponse<String> response = get("/actuator/micro");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode micro = JSON.readTree(response.body());
		String nodeId = micro.path("server").path("nodeId").asString();
		assertThat(nodeId).startsWith("greeter-");
		assertThat(micro.path("server").path("endpoints").toString()).isEqualTo("[\"Greeter.Hello\"]");
		assertThat(micro.path("broker").path("topics").toString()).isEqualTo("[\"greeter.events\"]");
		assertThat(micro.path("client").path("greeter").path(0).path("id").asString()).isEqualTo(nodeId);
	}

	@Test
	void whenPrometheusIsScrapedAfterACallThenItListsTheClientAndServerCallSeries() throws Exception {
		get("/hello?name=Ada");

		HttpResponse<String> response = get("/actuator/prometheus");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).containsPattern(
				"(?m)^micro_client_calls_seconds_count\\{.*micro_endpoint=\"Greeter.Hello\".*outcome=\"SUCCESS\".*} [1-9]")
			.containsPattern(
					"(?m)^micro_server_calls_seconds_count\\{.*micro_endpoint=\"Greeter.Hello\".*outcome=\"SUCCESS\".*} [1-9]")
			.containsPattern("(?m)^micro_broker_publish_seconds_count\\{.*micro_topic=\"greeter.events\"");
	}

	@Test
	void whenANameCarriesLineBreaksOrMegabytesThenTheLogHasNeitherAForgedLineNorAHugeLine(CapturedOutput output)
			throws Exception {
		String forged = "Eve\r\n2026-01-01T00:00:00.000Z  INFO 1 --- [greeter] [main] forged : payment approved";
		HttpResponse<String> response = get("/hello?name=" + URLEncoder.encode(forged, StandardCharsets.UTF_8));
		assertThat(response.statusCode()).isEqualTo(200);
		String huge = "x".repeat(3 * 1024 * 1024);
		assertThat(this.greeter.hello(new HelloRequest(huge)).msg()).hasSize(huge.length() + "Hello ".length());

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output.getAll()).contains("message=Hello Eve\\r\\n2026-01-01"));
		assertThat(output.getAll()).contains("GET /hello name=Eve\\r\\n2026-01-01",
				"Greeter.Hello handling name=Eve\\r\\n2026-01-01", "Greeter.Hello handling name=xxx");
		assertThat(output.getAll().lines()).noneMatch((line) -> line.startsWith("2026-01-01T00:00:00.000Z"))
			.allMatch((line) -> line.length() < 2_000);
	}

	@Test
	void whenNameIsErrorThenTheAnswerIs400WithTheGoMicroErrorJson() throws Exception {
		HttpResponse<String> response = get("/hello?name=error");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body())
			.isEqualTo("{\"id\":\"greeter.hello\",\"code\":400,\"detail\":\"bad name \\\"error\\\"\",\"status\":\"Bad Request\"}");
	}

}
