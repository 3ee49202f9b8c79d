package io.micro4j.spring.boot.autoconfigure.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.micro4j.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's page and JSON endpoints, over HTTP on a real Tomcat, with a real micro server behind the calls.
 */
class DashboardEndpointsTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static ConfigurableApplicationContext app;

	private static String base;

	@BeforeAll
	static void start() {
		app = DashboardApp.start("micro.dashboard.max-request-size=1KB");
		base = "http://127.0.0.1:" + DashboardApp.port(app) + "/micro";
		await().atMost(Duration.ofSeconds(10)).until(() -> app.getBean(Server.class).isRunning());
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void whenThePathIsAskedWithoutSlashThenItRedirectsToThePage() throws Exception {
		HttpResponse<String> response = get("");

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location")).hasValue("micro/");
	}

	@Test
	void whenThePageIsAskedThenItComesFromTheJarWithItsScriptAndStyleAndNoOtherOrigin() throws Exception {
		HttpResponse<String> page = get("/");
		HttpResponse<String> script = get("/dashboard.js");
		HttpResponse<String> style = get("/dashboard.css");

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
		assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString().startsWith("default-src 'self'");
		assertThat(page.body()).contains("<script src=\"dashboard.js\" defer></script>", "href=\"dashboard.css\"")
			.doesNotContain("http://", "https://");
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=UTF-8");
		assertThat(script.body()).contains("new EventSource('api/events'").doesNotContain("http://", "https://");
		assertThat(style.headers().firstValue("Content-Type")).hasValue("text/css;charset=UTF-8");
		assertThat(style.body()).doesNotContain("@import", "url(");
	}

	@Test
	void whenServicesAreListedThenTheGreeterItsNodeAndItsTopicAreThere() throws Exception {
		HttpResponse<String> response = get("/api/services");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode overview = mapper.readTree(response.body());
		assertThat(overview.get("registry").asString()).isEqualTo("memory");
		JsonNode greeter = overview.get("services").get(0);
		assertThat(greeter.get("name").asString()).isEqualTo("greeter");
		assertThat(greeter.get("nodes").asInt()).isEqualTo(1);
		assertThat(greeter.get("endpoints").asInt()).as("the subscriber is not counted").isEqualTo(2);
		JsonNode topic = overview.get("topics").get(0);
		assertThat(topic.get("topic").asString()).isEqualTo("greeter.events");
		assertThat(topic.get("subscribers").get(0).get("endpoint").asString()).isEqualTo("Listener.On");
	}

	@Test
	void whenAServiceIsAskedThenItsNodesEndpointsValueTreesAndRequestSkeletonAreAnswered() throws Exception {
		JsonNode version = mapper.readTree(get("/api/services/greeter").body()).get("versions").get(0);

		JsonNode node = version.get("nodes").get(0);
		assertThat(node.get("id").asString()).startsWith("greeter-");
		assertThat(node.get("address").asString()).startsWith("127.0.0.1:");
		assertThat(node.get("protocol").asString()).isEqualTo("mucp");
		assertThat(node.get("secure").asBoolean()).isFalse();
		assertThat(node.get("broker").asString()).isEqualTo("memory");
		JsonNode hello = version.get("endpoints").get(0);
		assertThat(hello.get("name").asString()).isEqualTo("Greeter.Hello");
		assertThat(hello.get("request").get("values").get(0).get("name").asString()).isEqualTo("name");
		assertThat(hello.get("response").get("values").get(0).get("name").asString()).isEqualTo("msg");
		assertThat(hello.get("skeleton").toString()).isEqualTo("{\"name\":\"\",\"times\":0}");
		assertThat(version.get("endpoints").get(1).get("name").asString()).isEqualTo("Greeter.Slow");
		JsonNode listener = version.get("endpoints").get(2);
		assertThat(listener.get("subscriber").asBoolean()).isTrue();
		assertThat(listener.get("topic").asString()).isEqualTo("greeter.events");
	}

	@Test
	void whenAnUnknownServiceIsAskedThenTheAnswerIsAGoMicro404() throws Exception {
		HttpResponse<String> response = get("/api/services/nobody");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(mapper.readTree(response.body()).toString()).isEqualTo(
				"{\"id\":\"micro.dashboard\",\"code\":404,\"detail\":\"service \\\"nobody\\\" not found\",\"status\":\"Not Found\"}");
	}

	@Test
	void whenAnEndpointIsCalledThenTheAnswerAndItsLatencyComeBack() throws Exception {
		HttpResponse<String> response = post("/api/call", "application/json",
				"{\"service\":\"greeter\",\"endpoint\":\"Greeter.Hello\",\"request\":{\"name\":\"John\",\"times\":1}}");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode result = mapper.readTree(response.body());
		assertThat(result.get("ok").asBoolean()).isTrue();
		assertThat(result.get("response").toString()).isEqualTo("{\"msg\":\"Hello John\"}");
		assertThat(result.get("error").isNull()).isTrue();
		assertThat(result.get("latencyMillis").asDouble()).isPositive();
	}

	@Test
	void whenTheHandlerFailsThenItsGoMicroErrorComesBackAsTheResult() throws Exception {
		JsonNode result = mapper.readTree(post("/api/call", "application/json",
				"{\"service\":\"greeter\",\"endpoint\":\"Greeter.Hello\",\"request\":{\"name\":\"error\",\"times\":1}}").body());

		assertThat(result.get("ok").asBoolean()).isFalse();
		assertThat(result.get("response").isNull()).isTrue();
		assertThat(result.get("error").toString()).isEqualTo(
				"{\"id\":\"greeter.hello\",\"code\":400,\"detail\":\"bad name \\\"error\\\"\",\"status\":\"Bad Request\"}");
	}

	@Test
	void whenTheHandlerTakesLongerThanThePagesTimeoutThenTheAnswerIsA408() throws Exception {
		JsonNode result = mapper.readTree(post("/api/call", "application/json",
				"{\"service\":\"greeter\",\"endpoint\":\"Greeter.Slow\",\"request\":{\"name\":\"x\",\"times\":5},"
						+ "\"timeoutMillis\":300}").body());

		assertThat(result.get("ok").asBoolean()).isFalse();
		assertThat(result.get("error").get("code").asInt()).isEqualTo(408);
		assertThat(result.get("latencyMillis").asDouble()).as("not the handler's 5 s").isLessThan(5000);
	}

	@Test
	void whenTheServiceDoesNotExistThenTheClientsErrorComesBackAsTheResult() throws Exception {
		JsonNode result = mapper.readTree(post("/api/call", "application/json",
				"{\"service\":\"nobody\",\"endpoint\":\"X.Y\",\"timeoutMillis\":500}").body());

		assertThat(result.get("ok").asBoolean()).isFalse();
		assertThat(result.get("error").get("code").asInt()).isEqualTo(500);
		assertThat(result.get("error").get("detail").asString()).contains("nobody");
	}

	@Test
	void whenTheCallBodyIsNotThePanelsJsonThenTheAnswerIs400() throws Exception {
		HttpResponse<String> malformed = post("/api/call", "application/json", "{\"service\":");
		HttpResponse<String> noEndpoint = post("/api/call", "application/json", "{\"service\":\"greeter\"}");
		HttpResponse<String> badTimeout = post("/api/call", "application/json",
				"{\"service\":\"greeter\",\"endpoint\":\"Greeter.Hello\",\"timeoutMillis\":-1}");

		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(mapper.readTree(malformed.body()).get("detail").asString()).startsWith("malformed JSON");
		assertThat(noEndpoint.statusCode()).isEqualTo(400);
		assertThat(mapper.readTree(noEndpoint.body()).get("detail").asString())
			.isEqualTo("endpoint: missing (expected: a non-empty string)");
		assertThat(badTimeout.statusCode()).isEqualTo(400);
		assertThat(mapper.readTree(badTimeout.body()).get("detail").asString()).startsWith("timeoutMillis: -1");
	}

	@Test
	void whenTheCallBodyIsNotJsonOrTooLargeThenItIsRefusedBeforeAnyCall() throws Exception {
		HttpResponse<String> form = post("/api/call", "application/x-www-form-urlencoded", "service=greeter");
		String large = "{\"service\":\"greeter\",\"endpoint\":\"Greeter.Hello\",\"request\":{\"name\":\""
				+ "x".repeat(1024) + "\"}}";
		HttpResponse<String> tooLarge = post("/api/call", "application/json", large);

		assertThat(form.statusCode()).isEqualTo(415);
		assertThat(tooLarge.statusCode()).isEqualTo(413);
		assertThat(mapper.readTree(tooLarge.body()).get("detail").asString())
			.isEqualTo("request body of " + large.length() + " bytes exceeds 1024 bytes (micro.dashboard.max-request-size)");
	}

	@Test
	void whenAMessageIsPublishedThenTheSubscriberReceivesIt() throws Exception {
		HttpResponse<String> response = post("/api/publish", "application/json",
				"{\"topic\":\"greeter.events\",\"message\":{\"message\":\"Hello from the dashboard\"}}");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode result = mapper.readTree(response.body());
		assertThat(result.get("ok").asBoolean()).isTrue();
		assertThat(result.get("topic").asString()).isEqualTo("greeter.events");
		DashboardApp.Listener listener = app.getBean(DashboardApp.Listener.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> listener.received.contains(new DashboardApp.Greeting("Hello from the dashboard")));
	}

	@Test
	void whenPublishHasNoTopicThenTheAnswerIs400() throws Exception {
		HttpResponse<String> response = post("/api/publish", "application/json", "{\"message\":{}}");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(mapper.readTree(response.body()).get("detail").asString()).startsWith("topic: missing");
	}

	private static HttpResponse<String> get(String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> post(String path, String contentType, String body) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(base + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
