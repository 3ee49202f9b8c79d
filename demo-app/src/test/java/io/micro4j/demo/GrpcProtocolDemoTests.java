package io.micro4j.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
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
	}

	@Test
	void anErrorKeepsItsGoMicroJsonOverGrpc() throws Exception {
		HttpResponse<String> response = get("/hello?name=error");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body())
			.isEqualTo("{\"id\":\"greeter.hello\",\"code\":400,\"detail\":\"bad name \\\"error\\\"\",\"status\":\"Bad Request\"}");
	}

}
