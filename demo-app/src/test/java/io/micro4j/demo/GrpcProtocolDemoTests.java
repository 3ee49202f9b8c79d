package io.micro4j.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micro4j.errors.MicroException;
import io.micro4j.grpc.GrpcTransportClient;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.micro4j.demo.BrokerEventsAssertions.line;
import static io.micro4j.demo.BrokerEventsAssertions.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo unchanged but for {@code --micro.server.protocol=grpc}: its node registers as a go-micro gRPC node, and
 * {@code GET /hello} goes through the typed client, over gRPC, to {@code Greeter.Hello} and on to the subscriber,
 * one trace id throughout; errors keep their go-micro JSON.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "micro.server.address=127.0.0.1:0", "micro.server.protocol=grpc" })
@ExtendWith(OutputCaptureExtension.class)
class GrpcProtocolDemoTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private Registry registry;

	private HttpResponse<String> get(String pathAndQuery) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + pathAndQuery))
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void theNodeIsAGrpcNodeAndHelloWorksOverGrpcWithOneTraceId(CapturedOutput output) throws Exception {
		Node node = this.registry.getService("greeter").get(0).nodes().get(0);
		assertThat(node.metadata()).containsEntry("protocol", "grpc")
			.containsEntry("server", "grpc")
			.containsEntry("transport", "grpc");

		HttpResponse<String> response = get("/hello?name=John");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"msg\":\"Hello John\"}");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output.getAll()).contains("message=Hello John"));
		String controller = traceId(line(output, "GET /hello name=John"));
		assertThat(traceId(line(output, "Greeter.Hello handling name=John"))).isEqualTo(controller);
		assertThat(traceId(line(output, "message=Hello John"))).isEqualTo(controller);
		String micro = get("/actuator/micro").body();
		assertThat(micro).contains("\"protocol\":\"grpc\"").doesNotContain("\"protocol\":\"mucp\"");
	}

	/**
	 * The observed go-micro gRPC requests against the demo's node, sent as go-micro's gRPC client sends them
	 * ({@code /greeter.Greeter/Hello}, {@code application/grpc+json}, {@code timeout}): the JSON answer, the error
	 * JSON of {@code name=error} (from {@code grpc-status: 3} and its {@code errors.Error} detail) and
	 * {@code UNIMPLEMENTED} for {@code Greeter.Nope}.
	 */
	@Test
	void goMicroGrpcRequestsGetGoMicroAnswers() throws Exception {
		Node node = this.registry.getService("greeter").get(0).nodes().get(0);
		try (GrpcTransportClient grpc = GrpcTransportClient.builder().build()) {
			TransportResponse hello = grpc.send(node.address(), request("Greeter.Hello", "{\"name\":\"John\"}"),
					Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
			TransportResponse error = grpc.send(node.address(), request("Greeter.Hello", "{\"name\":\"error\"}"),
					Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
			TransportResponse nope = grpc.send(node.address(), request("Greeter.Nope", "{}"), Duration.ofSeconds(5))
				.get(10, TimeUnit.SECONDS);

			assertThat(new String(hello.body(), StandardCharsets.UTF_8)).isEqualTo("{\"msg\":\"Hello John\"}");
			assertThat(error.headers().getOrNull("Micro-Error")).isEqualTo(
					"{\"id\":\"greeter.hello\",\"code\":400,\"detail\":\"bad name \\\"error\\\"\",\"status\":\"Bad Request\"}");
			assertThat(MicroException.parse(nope.headers().getOrNull("Micro-Error")))
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo(501))
				.satisfies((ex) -> assertThat(ex.detail()).isEqualTo("unknown service Greeter.Nope"));
		}
	}

	private static TransportRequest request(String endpoint, String json) {
		return new TransportRequest(Metadata.of("Micro-Service", "greeter", "Micro-Endpoint", endpoint, "Content-Type",
				"application/json"), json.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void anErrorKeepsItsGoMicroJsonOverGrpc() throws Exception {
		HttpResponse<String> response = get("/hello?name=error");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body())
			.isEqualTo("{\"id\":\"greeter.hello\",\"code\":400,\"detail\":\"bad name \\\"error\\\"\",\"status\":\"Bad Request\"}");
	}

}
