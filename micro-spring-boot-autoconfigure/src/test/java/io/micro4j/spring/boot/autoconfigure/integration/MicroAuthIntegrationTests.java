package io.micro4j.spring.boot.autoconfigure.integration;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import io.micro4j.errors.MicroException;
import io.micro4j.security.AuthPrincipal;
import io.micro4j.security.MicroAuth;
import io.micro4j.security.RequiresScopes;
import io.micro4j.spring.actuate.MicroActuatorEndpoint;
import io.micro4j.spring.annotation.MicroClient;
import io.micro4j.spring.annotation.MicroHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two applications on one registry with {@code micro.auth.*} on the server and {@code micro.client.auth.*} on the
 * client; the signing keys are published by a JWKS document served from a local HTTP server, which also plays the
 * OAuth2 token endpoint.
 */
class MicroAuthIntegrationTests {

	private final MicroApps apps = new MicroApps();

	private final KeyPair keys = TestJwts.rsa();

	private final AtomicInteger tokenRequests = new AtomicInteger();

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	private HttpServer http;

	private Level rootLevel;

	record Hello(String name) {
	}

	record Reply(String msg, String caller) {
	}

	@MicroHandler
	static class Greeter {

		@RequiresScopes("greeter.hello")
		public Reply hello(Hello hello) {
			return new Reply("Hello " + hello.name(), MicroAuth.principal().map(AuthPrincipal::subject).orElse(""));
		}

		public Reply ping(Hello hello) {
			return new Reply("pong", MicroAuth.principal().map(AuthPrincipal::subject).orElse("anonymous"));
		}

	}

	@MicroClient("greeter")
	interface GreeterClient {

		Reply hello(Hello hello);

		Reply ping(Hello hello);

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ServerApp {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ClientApp {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class OAuth2ClientApp {

		@Bean
		ClientRegistrationRepository clientRegistrations(org.springframework.core.env.Environment environment) {
			return new InMemoryClientRegistrationRepository(ClientRegistration.withRegistrationId("micro")
				.clientId("front")
				.clientSecret("front-secret")
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.tokenUri(environment.getRequiredProperty("test.token-uri"))
				.scope("greeter.hello")
				.build());
		}

	}

	@BeforeEach
	void startJwksAndTokenEndpoint() throws IOException {
		byte[] jwks = new JWKSet(new RSAKey.Builder((RSAPublicKey) this.keys.getPublic()).keyID("k1").build())
			.toString(true)
			.getBytes(StandardCharsets.UTF_8);
		this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.http.createContext("/jwks.json", (exchange) -> answer(exchange, jwks));
		this.http.createContext("/token", (exchange) -> {
			this.tokenRequests.incrementAndGet();
			exchange.getRequestBody().readAllBytes();
			String token = token("svc-front", "greeter.hello", 600);
			answer(exchange, ("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":600,"
					+ "\"scope\":\"greeter.hello\"}").getBytes(StandardCharsets.UTF_8));
		});
		this.http.start();
		this.rootLevel = this.root.getLevel();
		this.root.setLevel(Level.DEBUG);
		this.logs.start();
		this.root.addAppender(this.logs);
	}

	@AfterEach
	void stopAll() {
		this.apps.close();
		this.http.stop(0);
		this.root.detachAppender(this.logs);
		this.root.setLevel(this.rootLevel);
	}

	private static void answer(com.sun.net.httpserver.HttpExchange exchange, byte[] body) throws IOException {
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private String base() {
		return "http://127.0.0.1:" + this.http.getAddress().getPort();
	}

	private ConfigurableApplicationContext server() {
		return this.apps.start(ServerApp.class, "spring.application.name=greeter", "micro.auth.enabled=true",
				"micro.auth.jwt.jwk-set-uri=" + base() + "/jwks.json", "micro.auth.jwt.issuer=https://auth.test",
				"micro.auth.jwt.audiences=greeter", "micro.auth.jwt.clock-skew=30s",
				"micro.auth.rules[0].endpoint=Greeter.Ping", "micro.auth.rules[0].public=true");
	}

	private GreeterClient client(String... properties) {
		List<String> all = new java.util.ArrayList<>(List.of("micro.server.enabled=false"));
		all.addAll(List.of(properties));
		return this.apps.start(ClientApp.class, all.toArray(String[]::new)).getBean(GreeterClient.class);
	}

	@Test
	void whenAuthIsOnThenTheEndpointAnswersByToken() {
		server();
		String good = token("alice", "greeter.hello", 600);
		String weak = token("bob", "greeter.other", 600);
		String expired = token("carol", "greeter.hello", -300);

		assertThat(client("micro.client.auth.token=" + good).hello(new Hello("John")))
			.isEqualTo(new Reply("Hello John", "alice"));
		assertThatThrownBy(() -> client().hello(new Hello("John"))).isInstanceOfSatisfying(MicroException.class,
				(ex) -> assertThat(ex.code()).isEqualTo(401));
		assertThatThrownBy(() -> client("micro.client.auth.token=" + weak).hello(new Hello("John")))
			.isInstanceOfSatisfying(MicroException.class, (ex) -> {
				assertThat(ex.code()).isEqualTo(403);
				assertThat(ex.id()).isEqualTo("greeter");
			});
		assertThatThrownBy(() -> client("micro.client.auth.token=" + expired).hello(new Hello("John")))
			.isInstanceOfSatisfying(MicroException.class, (ex) -> assertThat(ex.code()).isEqualTo(401));
		assertThat(client().ping(new Hello("x")).caller()).isEqualTo("anonymous");

		assertThat(everythingLogged()).doesNotContain(good, weak, expired, good.split("\\.")[2]);
	}

	@Test
	void whenTheClientUsesOAuth2ClientCredentialsThenItsTokenIsObtainedOnceAndSent() {
		server();
		ConfigurableApplicationContext front = this.apps.start(OAuth2ClientApp.class, "micro.server.enabled=false",
				"spring.application.name=front", "micro.client.auth.oauth2-client-registration-id=micro",
				"test.token-uri=" + base() + "/token");
		GreeterClient client = front.getBean(GreeterClient.class);
		for (int i = 0; i < 3; i++) {
			assertThat(client.hello(new Hello("F")).caller()).isEqualTo("svc-front");
		}
		assertThat(this.tokenRequests).hasValue(1);
		assertThat(everythingLogged()).doesNotContain("front-secret");
	}

	@Test
	void whenTheClientHasAFixedTokenThenActuatorShowsItNowhere() {
		server();
		String token = token("alice", "greeter.hello", 600);
		ConfigurableApplicationContext client = this.apps.start(ClientApp.class, "micro.server.enabled=false",
				"micro.client.auth.token=" + token, "management.endpoints.web.exposure.include=micro,env,configprops",
				"management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always");
		client.getBean(GreeterClient.class).hello(new Hello("John"));
		SanitizingFunction sanitizer = client.getBean(SanitizingFunction.class);
		assertThat(sanitizer.applyUnlessFiltered(new SanitizableData(null, "micro.client.auth.token", token))
			.getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
		assertThat(sanitizer.applyUnlessFiltered(new SanitizableData(null, "micro.client.retries", 5)).getValue())
			.isEqualTo(5);
		JsonMapper json = JsonMapper.builder().build();
		assertThat(json.writeValueAsString(client.getBean(MicroActuatorEndpoint.class).micro())).doesNotContain(token);
		String env = json.writeValueAsString(
				client.getBean(EnvironmentEndpoint.class).environmentEntry("micro.client.auth.token"));
		assertThat(env).contains(SanitizableData.SANITIZED_VALUE).doesNotContain(token);
		String configprops = json
			.writeValueAsString(client.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties());
		assertThat(configprops).contains("micro.client.auth").doesNotContain(token);
		assertThat(client.getBean(io.micro4j.spring.boot.autoconfigure.security.MicroClientAuthProperties.class)
			.toString()).doesNotContain(token);
	}

	private String everythingLogged() {
		StringBuilder all = new StringBuilder();
		for (ILoggingEvent event : List.copyOf(this.logs.list)) {
			all.append(event.getFormattedMessage()).append('\n');
			if (event.getThrowableProxy() != null) {
				all.append(ch.qos.logback.classic.spi.ThrowableProxyUtil.asString(event.getThrowableProxy()));
			}
		}
		return all.toString();
	}

	private String token(String subject, String scope, long validSeconds) {
		return TestJwts.token(this.keys.getPrivate(), subject, scope, validSeconds);
	}

}
