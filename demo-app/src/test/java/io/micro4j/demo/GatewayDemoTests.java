package io.micro4j.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.micro4j.demo.BrokerEventsAssertions.line;
import static io.micro4j.demo.BrokerEventsAssertions.traceId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance 2 of the gateway, literally: what {@code curl -X POST localhost:8080/api/greeter/Greeter.Hello
 * -d '{"name":"John"}'} sends (a POST whose content type is {@code application/x-www-form-urlencoded}, as curl's
 * {@code -d} sets it) to the demo as configured, on a random port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "micro.server.address=127.0.0.1:0")
@ExtendWith(OutputCaptureExtension.class)
class GatewayDemoTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Value("${local.server.port}")
	private int port;

	/** What {@code curl -X POST <url> -d <body> [-H header...]} sends. */
	private HttpResponse<String> curlPost(String path, String body, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "*/*")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void whenGreeterHelloIsPostedToTheGatewayThenTheAnswerIsItsJson() throws Exception {
		HttpResponse<String> response = curlPost("/api/greeter/Greeter.Hello", "{\"name\":\"John\"}");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).isEqualTo("{\"msg\":\"Hello John\"}");
	}

	@Test
	void whenTheNameIsErrorThenTheGatewayAnswers400WithTheGoMicroErrorJson() throws Exception {
		HttpResponse<String> response = curlPost("/api/greeter/Greeter.Hello", "{\"name\":\"error\"}");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).isEqualTo(
				"{\"id\":\"greeter.hello\",\"code\":400,\"detail\":\"bad name \\\"error\\\"\",\"status\":\"Bad Request\"}");
	}

	@Test
	void whenTheHttpCallerSendsATraceparentThenTheHandlerLogsInThatTrace(CapturedOutput output) throws Exception {
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

		HttpResponse<String> response = curlPost("/api/greeter/Greeter.Hello", "{\"name\":\"Traced\"}",
				"traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(traceId(line(output, "Greeter.Hello handling name=Traced"))).isEqualTo(traceId);
	}

	@Test
	void whenAServiceIsNotListedThenTheGatewayDoesNotCallIt() throws Exception {
		HttpResponse<String> response = curlPost("/api/helloworld/Greeter.SayHello", "{\"name\":\"John\"}");

		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).isEqualTo("{\"id\":\"go.micro.client\",\"code\":500,"
				+ "\"detail\":\"service helloworld: not found\",\"status\":\"Internal Server Error\"}");
	}

}
