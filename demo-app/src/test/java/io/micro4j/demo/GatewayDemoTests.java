package io.micro4j.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance 2 of the gateway, literally: what {@code curl -X POST localhost:8080/api/greeter/Greeter.Hello
 * -d '{"name":"John"}'} sends (a POST whose content type is {@code application/x-www-form-urlencoded}, as curl's
 * {@code -d} sets it) to the demo as configured, on a random port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "micro.server.address=127.0.0.1:0")
class GatewayDemoTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Value("${local.server.port}")
	private int port;

	/** What {@code curl -X POST <url> -d <body>} sends. */
	private HttpResponse<String> curlPost(String path, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "*/*")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
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
	void whenAServiceIsNotListedThenTheGatewayDoesNotCallIt() throws Exception {
		HttpResponse<String> response = curlPost("/api/helloworld/Greeter.SayHello", "{\"name\":\"John\"}");

		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).isEqualTo("{\"id\":\"go.micro.client\",\"code\":500,"
				+ "\"detail\":\"service helloworld: not found\",\"status\":\"Internal Server Error\"}");
	}

}
