package io.micro4j.spring.boot.autoconfigure.integration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micro4j.metadata.CallContext;
import io.micro4j.security.AuthPrincipal;
import io.micro4j.security.MicroAuth;
import io.micro4j.security.RequiresScopes;
import io.micro4j.spring.annotation.MicroHandler;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.HelloRequest;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.HelloResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP API gateway end to end: a micro service (mucp on a loopback port) and a Spring MVC application with
 * {@code micro.gateway.enabled=true} on a random port, sharing one registry; requests go over real HTTP.
 */
class MicroGatewayIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final MicroApps apps = new MicroApps();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** Releases the slow endpoint's calls at the end of each test, so the service stops at once. */
	private static volatile CountDownLatch release = new CountDownLatch(1);

	@MicroHandler
	static class Slow {

		public HelloResponse hold(HelloRequest request) throws InterruptedException {
			release.await(10, TimeUnit.SECONDS);
			return new HelloResponse("late");
		}

		/** Echoes the metadata the call arrived with. */
		public HelloResponse headers(HelloRequest request) {
			CallContext context = CallContext.current();
			return new HelloResponse(context.metadata().getOrNull("X-Tenant") + "|"
					+ context.metadata().getOrNull("Authorization") + "|"
					+ context.metadata().getOrNull("Micro-Gateway-No-Caller-Token") + "|"
					+ context.metadata().getOrNull("Cookie"));
		}

	}

	@MicroHandler
	static class Vault {

		@RequiresScopes("vault.read")
		public HelloResponse open(HelloRequest request) {
			return new HelloResponse("opened by " + MicroAuth.principal().map(AuthPrincipal::subject).orElse("?"));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class GreeterApp {

		@Bean
		Greeting.Greeter greeter() {
			return new Greeting.Greeter("a");
		}

		@Bean
		Slow slow() {
			return new Slow();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class VaultApp {

		@Bean
		Vault vault() {
			return new Vault();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class GatewayApp {

	}

	@BeforeEach
	void holdSlowCalls() {
		release = new CountDownLatch(1);
	}

	@AfterEach
	void stopAll() {
		release.countDown();
		this.apps.close();
	}

	/** Starts the greeter service and a gateway with {@code properties}; the gateway's base URI. */
	private String gateway(String... properties) {
		this.apps.start(GreeterApp.class, "spring.application.name=greeter");
		return gatewayOnly(properties);
	}

	private String gatewayOnly(String... properties) {
		String[] all = new String[properties.length + 2];
		all[0] = "micro.server.enabled=false";
		all[1] = "micro.gateway.enabled=true";
		System.arraycopy(properties, 0, all, 2, properties.length);
		ConfigurableApplicationContext context = this.apps.startWeb(GatewayApp.class, all);
		return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private HttpResponse<String> post(String uri, String body, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void whenAnEndpointIsPostedThenItsJsonAnswerComesBackInEveryPathShape() throws Exception {
		String base = gateway("micro.gateway.services=greeter");

		HttpResponse<String> response = post(base + "/api/greeter/Greeter.Hello", "{\"name\":\"John\"}",
				"Content-Type", "application/x-www-form-urlencoded");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		assertThat(response.body()).isEqualTo("{\"msg\":\"Hello John from a\"}");
		assertThat(post(base + "/api/greeter/greeter/hello", "{\"name\":\"Ann\"}").body())
			.isEqualTo("{\"msg\":\"Hello Ann from a\"}");
		assertThat(post(base + "/api/greeter/hello", "{\"name\":\"Bo\"}").body())
			.isEqualTo("{\"msg\":\"Hello Bo from a\"}");
		assertThat(post(base + "/api/greeter/Greeter.Hello", "").body()).isEqualTo("{\"msg\":\"Hello null from a\"}");
	}

	@Test
	void whenTheServiceAnswersAnErrorThenItsCodeIsTheStatusAndItsJsonTheBody() throws Exception {
		String base = gateway("micro.gateway.services=greeter");

		HttpResponse<String> response = post(base + "/api/greeter/Greeter.Hello", "{\"name\":\"error\"}");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo(
				"{\"id\":\"greeter.hello\",\"code\":400,\"detail\":\"bad name \\\"error\\\"\",\"status\":\"Bad Request\"}");
	}

	@Test
	void whenTheBodyIsLargerThanTheLimitThen413() throws Exception {
		String base = gateway("micro.gateway.services=greeter", "micro.gateway.max-request-size=1KB");
		String fits = "{\"name\":\"" + "x".repeat(1024 - 11) + "\"}";
		String over = "{\"name\":\"" + "x".repeat(2048) + "\"}";

		assertThat(fits).hasSize(1024);
		assertThat(post(base + "/api/greeter/Greeter.Hello", fits).statusCode()).isEqualTo(200);
		HttpResponse<String> response = post(base + "/api/greeter/Greeter.Hello", over);

		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(error(response)).isEqualTo(new Error("go.micro.api", 413,
				"request body too large: more than 1024 bytes", "Request Entity Too Large"));
	}

	@Test
	void whenTheBodyIsNotJsonThen400WithoutParserInternals() throws Exception {
		String base = gateway("micro.gateway.services=greeter");

		for (String body : new String[] { "{\"name\":", "name=John", "{\"name\":\"a\"} trailing" }) {
			HttpResponse<String> response = post(base + "/api/greeter/Greeter.Hello", body);

			assertThat(response.statusCode()).as(body).isEqualTo(400);
			Error error = error(response);
			assertThat(error.id()).isEqualTo("go.micro.api");
			assertThat(error.detail()).as(body).startsWith("malformed JSON in the request body at line 1, column ")
				.doesNotContainIgnoringCase("jackson")
				.doesNotContain("tools.", "Exception", "java.");
		}
	}

	@Test
	void whenTheServiceIsUnknownOrNotExposedThenTheAnswerIsTheClientsNotFound() throws Exception {
		this.apps.start(GreeterApp.class, "spring.application.name=internal");
		String base = gateway("micro.gateway.services=greeter");
		String all = gatewayOnly("micro.gateway.services=*");

		HttpResponse<String> unknown = post(all + "/api/nosuch/Nosuch.Call", "{}");
		HttpResponse<String> hidden = post(base + "/api/internal/Greeter.Hello", "{\"name\":\"x\"}");

		assertThat(unknown.statusCode()).isEqualTo(500);
		assertThat(error(unknown)).isEqualTo(new Error("go.micro.client", 500, "service nosuch: not found",
				"Internal Server Error"));
		assertThat(hidden.statusCode()).isEqualTo(500);
		assertThat(error(hidden)).isEqualTo(new Error("go.micro.client", 500, "service internal: not found",
				"Internal Server Error"));
		assertThat(post(all + "/api/internal/Greeter.Hello", "{\"name\":\"x\"}").body())
			.isEqualTo("{\"msg\":\"Hello x from a\"}");
	}

	@Test
	void whenTheTimeoutHeaderIsSetThenTheCallEndsWithA408AtThatDeadline() throws Exception {
		String base = gateway("micro.gateway.services=greeter");

		long start = System.nanoTime();
		HttpResponse<String> response = post(base + "/api/greeter/Slow.Hold", "{}", "Timeout", "1");
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

		assertThat(response.statusCode()).isEqualTo(408);
		Error error = error(response);
		assertThat(error.id()).isEqualTo("go.micro.client");
		assertThat(error.code()).isEqualTo(408);
		// the endpoint holds the call for 10 s; the header's 1 s deadline ended it
		assertThat(millis).isBetween(900L, 8_000L);
		HttpResponse<String> bad = post(base + "/api/greeter/Slow.Hold", "{}", "Timeout", "soon");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(error(bad).detail()).isEqualTo("Timeout: \"soon\" (expected: whole seconds, e.g. 5)");
	}

	@Test
	void whenTheRequestIsNotAPostOfAKnownShapeThenGoMicroErrorsAnswer() throws Exception {
		String base = gateway("micro.gateway.services=greeter");

		HttpResponse<String> get = this.http.send(
				HttpRequest.newBuilder(URI.create(base + "/api/greeter/Greeter.Hello")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> shape = post(base + "/api/greeter", "{}");
		HttpResponse<String> deep = post(base + "/api/greeter/a/b/c", "{}");

		assertThat(get.statusCode()).isEqualTo(405);
		assertThat(get.headers().firstValue("Allow")).hasValue("POST");
		assertThat(error(get)).isEqualTo(new Error("go.micro.api", 405, "method GET not allowed: use POST",
				"Method Not Allowed"));
		assertThat(shape.statusCode()).isEqualTo(404);
		assertThat(error(shape).detail()).startsWith("no service endpoint at \"/api/greeter\"");
		assertThat(deep.statusCode()).isEqualTo(404);
	}

	@Test
	void whenHeadersAreSentThenOnlyTheForwardedOnesReachTheService() throws Exception {
		String base = gateway("micro.gateway.services=greeter",
				"micro.gateway.forward-headers=Authorization,X-Tenant");

		HttpResponse<String> response = post(base + "/api/greeter/Slow.Headers", "{}", "X-Tenant", "acme",
				"Authorization", "Bearer abc", "Cookie", "session=1");

		assertThat(response.body()).isEqualTo("{\"msg\":\"acme|Bearer abc|null|null\"}");
		// the gateway's mark for a caller without a token never leaves the client
		assertThat(post(base + "/api/greeter/Slow.Headers", "{}", "X-Tenant", "acme").body())
			.isEqualTo("{\"msg\":\"acme|null|null|null\"}");
	}

	@Test
	void whenTheServiceHasAuthRulesThenTheCallersTokenIsJudgedAndTheGatewaysOwnIsNotLent(@TempDir Path keys)
			throws Exception {
		KeyPair pair = TestJwts.rsa();
		Path publicKey = Files.writeString(keys.resolve("auth.pub"), TestJwts.pem(pair.getPublic()));
		this.apps.start(VaultApp.class, "spring.application.name=vault", "micro.auth.enabled=true",
				"micro.auth.jwt.public-key-location=file:" + publicKey, "micro.auth.jwt.issuer=" + TestJwts.ISSUER);
		String base = gatewayOnly("micro.gateway.services=vault",
				"micro.client.auth.token=" + TestJwts.token(pair.getPrivate(), "gateway", "vault.read", 600));
		String alice = TestJwts.token(pair.getPrivate(), "alice", "vault.read", 600);
		String bob = TestJwts.token(pair.getPrivate(), "bob", "other", 600);

		HttpResponse<String> anonymous = post(base + "/api/vault/Vault.Open", "{}");
		HttpResponse<String> allowed = post(base + "/api/vault/Vault.Open", "{}", "Authorization", "Bearer " + alice);
		HttpResponse<String> forbidden = post(base + "/api/vault/Vault.Open", "{}", "Authorization", "Bearer " + bob);

		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(error(anonymous).id()).isEqualTo("vault");
		assertThat(error(anonymous).detail()).endsWith("no token");
		assertThat(allowed.statusCode()).isEqualTo(200);
		assertThat(allowed.body()).isEqualTo("{\"msg\":\"opened by alice\"}");
		assertThat(forbidden.statusCode()).isEqualTo(403);
		assertThat(error(forbidden).id()).isEqualTo("vault");
	}

	private static Error error(HttpResponse<String> response) throws IOException {
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		JsonNode json = JSON.readTree(response.body().getBytes(StandardCharsets.UTF_8));
		return new Error(json.path("id").asString(), json.path("code").asInt(), json.path("detail").asString(),
				json.path("status").asString());
	}

	private record Error(String id, int code, String detail, String status) {
	}

}
