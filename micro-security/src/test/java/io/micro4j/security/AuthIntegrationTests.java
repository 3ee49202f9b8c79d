package io.micro4j.security;

import java.lang.reflect.Method;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.Level;
import io.micro4j.broker.memory.MemoryBroker;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.server.DefaultServer;
import io.micro4j.test.logging.LogCapture;
import io.micro4j.transport.http.HttpTransportClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Bearer-token authentication between a real {@link DefaultServer} on the mucp transport and a {@link DefaultClient},
 * with keys made in the test: the acceptance cases of the security issue, go-micro's claims, passing the caller's
 * token on, broker messages, and logs that never hold a token.
 */
class AuthIntegrationTests {

	@RegisterExtension
	final LogCapture log = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.DEBUG);

	private final KeyPair rsa = TestKeys.rsa();

	private final KeyPair ec = TestKeys.ec();

	private final KeyPair ed = TestKeys.ed25519();

	private final MemoryRegistry registry = new MemoryRegistry();

	private final MemoryBroker broker = new MemoryBroker();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final List<String> tokensUsed = new ArrayList<>();

	record Hello(String name) {
	}

	record Reply(String msg, String subject, String type, List<String> scopes, Map<String, String> metadata) {
	}

	/** {@code Greeter.Hello} needs scope {@code greeter.hello}; {@code Greeter.Ping} is public by rule. */
	public static class Greeter {

		@RequiresScopes("greeter.hello")
		public Reply hello(Hello request) {
			Optional<AuthPrincipal> caller = MicroAuth.principal();
			return new Reply("Hello " + request.name(), caller.map(AuthPrincipal::subject).orElse(""),
					caller.map(AuthPrincipal::type).orElse(""),
					caller.map((p) -> p.scopes().stream().sorted().toList()).orElse(List.of()),
					caller.map(AuthPrincipal::metadata).orElse(Map.of()));
		}

		public Reply ping(Hello request) {
			return new Reply("pong", MicroAuth.principal().map(AuthPrincipal::subject).orElse("anonymous"), "",
					List.of(), Map.of());
		}

	}

	/** Calls {@code Greeter.Hello} downstream with its own client. */
	public static class Front {

		final DefaultClient downstream;

		Front(DefaultClient downstream) {
			this.downstream = downstream;
		}

		public Reply relay(Hello request) {
			return this.downstream.call(Request.of("greeter", "Greeter.Hello", request), Reply.class);
		}

	}

	@AfterEach
	void closeAll() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		this.broker.close();
		this.registry.close();
		String logged = this.log.everything();
		for (String token : this.tokensUsed) {
			assertThat(logged).as("a token in the logs").doesNotContain(token);
			for (String part : token.split("\\.")) {
				if (part.length() > 20) {
					assertThat(logged).as("a part of a token in the logs").doesNotContain(part);
				}
			}
		}
	}

	private Authenticator authenticator() {
		return Authenticator.builder(MicroJwtDecoders.builder()
			.publicKey(this.rsa.getPublic())
			.publicKey(TestKeys.pem(this.ec))
			.publicKey(this.ed.getPublic())
			.build())
			.rules(() -> AccessRules.of(AccessRule.publicAccess("Greeter.Ping"))
				.and(AccessRules.annotated("Greeter", Greeter.class)))
			.build();
	}

	private DefaultServer server(String name, Object handler) {
		Authenticator authenticator = authenticator();
		DefaultServer server = DefaultServer.builder(name)
			.address("127.0.0.1:0")
			.registry(this.registry)
			.broker(this.broker)
			.wrapper(new AuthHandlerWrapper(authenticator))
			.subscriberWrapper(new AuthSubscriberWrapper(authenticator, name))
			.build();
		server.handle(handler);
		this.closeables.add(server);
		return server;
	}

	private DefaultClient client(TokenSupplier tokens) {
		RegistryCache cache = RegistryCache.builder(this.registry).build();
		DefaultSelector selector = DefaultSelector.builder(cache).build();
		HttpTransportClient transport = HttpTransportClient.builder().build();
		BearerTokenCallWrapper wrapper = new BearerTokenCallWrapper(tokens);
		DefaultClient client = DefaultClient.builder(selector, transport)
			.broker(this.broker)
			.wrapper(wrapper.getOrder(), wrapper)
			.publishWrapper(new BearerTokenPublishWrapper(tokens))
			.build();
		this.closeables.add(cache);
		this.closeables.add(selector);
		this.closeables.add(transport);
		this.closeables.add(client);
		return client;
	}

	private DefaultClient clientWith(AtomicReference<String> token) {
		return client(() -> Optional.ofNullable(token.get()).map(AccessToken::of));
	}

	private String token(String value) {
		this.tokensUsed.add(value);
		return value;
	}

	private Reply hello(DefaultClient client) {
		return client.call(Request.of("greeter", "Greeter.Hello", new Hello("John")), Reply.class);
	}

	private MicroException refusal(DefaultClient client) {
		try {
			hello(client);
		}
		catch (MicroException ex) {
			return ex;
		}
		throw new AssertionError("the call was not refused");
	}

	@Test
	void whenNoTokenThenGoMicros401() {
		server("greeter", new Greeter()).start();
		MicroException error = refusal(clientWith(new AtomicReference<>()));
		assertThat(error.code()).isEqualTo(401);
		assertThat(error.id()).isEqualTo("greeter");
		assertThat(error.status()).isEqualTo("Unauthorized");
		assertThat(error.detail()).isEqualTo("Unauthorized call made to greeter:Greeter.Hello: no token");
	}

	@Test
	void whenValidTokenLacksTheScopeThen403() {
		server("greeter", new Greeter()).start();
		String token = token(TestKeys.sign(this.rsa, "RS256", TestKeys.claims("alice", "greeter.other")));
		MicroException error = refusal(clientWith(new AtomicReference<>(token)));
		assertThat(error.code()).isEqualTo(403);
		assertThat(error.id()).isEqualTo("greeter");
		assertThat(error.status()).isEqualTo("Forbidden");
		assertThat(error.detail()).isEqualTo("Forbidden call made to greeter:Greeter.Hello by alice")
			.doesNotContain(token);
	}

	@Test
	void whenTokenHasTheScopeThenTheHandlerAnswersAndSeesTheCaller() {
		server("greeter", new Greeter()).start();
		AtomicReference<String> token = new AtomicReference<>();
		DefaultClient client = clientWith(token);
		token.set(token(TestKeys.sign(this.rsa, "RS256", TestKeys.claims("alice", "openid greeter.hello"))));
		Reply rsaReply = hello(client);
		assertThat(rsaReply.msg()).isEqualTo("Hello John");
		assertThat(rsaReply.subject()).isEqualTo("alice");
		assertThat(rsaReply.scopes()).containsExactly("greeter.hello", "openid");
		token.set(token(TestKeys.sign(this.ec, "ES256", TestKeys.claims("bob", "greeter.hello"))));
		assertThat(hello(client).subject()).isEqualTo("bob");
		token.set(token(TestKeys.sign(this.ed, "EdDSA", TestKeys.claims("carol", "greeter.hello"))));
		assertThat(hello(client).subject()).isEqualTo("carol");
	}

	@Test
	void whenTokenIsExpiredUnsignedForeignOrTamperedThen401() {
		server("greeter", new Greeter()).start();
		AtomicReference<String> token = new AtomicReference<>();
		DefaultClient client = clientWith(token);
		Map<String, Object> expired = TestKeys.claims("alice", "greeter.hello");
		expired.put("iat", Instant.now().minus(Duration.ofMinutes(20)).getEpochSecond());
		expired.put("exp", Instant.now().minus(Duration.ofMinutes(5)).getEpochSecond());
		Map<String, Object> escalated = TestKeys.claims("alice", "greeter.hello admin");
		String weak = TestKeys.sign(this.rsa, "RS256", TestKeys.claims("alice", "greeter.other"));
		Map<String, String> cases = Map.of(
				"expired", TestKeys.sign(this.rsa, "RS256", expired),
				"alg none", TestKeys.unsigned(TestKeys.claims("alice", "greeter.hello")),
				"another key", TestKeys.sign(TestKeys.rsa(), "RS256", TestKeys.claims("alice", "greeter.hello")),
				"another EdDSA key", TestKeys.sign(TestKeys.ed25519(), "EdDSA", TestKeys.claims("alice", "greeter.hello")),
				"tampered payload", TestKeys.tampered(weak, escalated),
				"garbage", "not-a-jwt");
		cases.forEach((name, value) -> {
			token.set(token(value));
			MicroException error = refusal(client);
			assertThat(error.code()).as(name).isEqualTo(401);
			assertThat(error.detail()).as(name).doesNotContain(value);
		});
		token.set(TestKeys.sign(this.rsa, "RS256", expired));
		assertThat(refusal(client).detail()).endsWith("token expired");
	}

	@Test
	void whenTheHeaderIsNotBearerThen401AndTheClientKeepsAnAuthorizationItWasGiven() {
		server("greeter", new Greeter()).start();
		String token = token(TestKeys.sign(this.rsa, "RS256", TestKeys.claims("alice", "greeter.hello")));
		RegistryCache cache = RegistryCache.builder(this.registry).build();
		DefaultSelector selector = DefaultSelector.builder(cache).build();
		HttpTransportClient transport = HttpTransportClient.builder().build();
		BearerTokenCallWrapper bearer = new BearerTokenCallWrapper(TokenSuppliers.fixed(token));
		DefaultClient client = DefaultClient.builder(selector, transport)
			.wrapper(bearer.getOrder() - 10, (next) -> (context) -> {
				context.putMetadata("Authorization", "Basic YWxpY2U6c2VjcmV0");
				return next.call(context);
			})
			.wrapper(bearer.getOrder(), bearer)
			.build();
		this.closeables.addAll(List.of(cache, selector, transport, client));
		MicroException error = refusal(client);
		assertThat(error.code()).isEqualTo(401);
		assertThat(error.detail()).endsWith("invalid authorization header, expected Bearer schema");
		assertThat(this.log.everything()).doesNotContain("YWxpY2U6c2VjcmV0");
	}

	@Test
	void whenTheTokenSupplierFailsThenTheCallFailsWith401NamingNoSecret() {
		server("greeter", new Greeter()).start();
		MicroException error = refusal(client(() -> {
			throw new IllegalStateException("client secret s3cr3t rejected");
		}));
		assertThat(error.code()).isEqualTo(401);
		assertThat(error.id()).isEqualTo("go.micro.client");
		assertThat(error.detail()).isEqualTo("no token for greeter Greeter.Hello: IllegalStateException");
	}

	@Test
	void whenGoMicroIssuedTheTokenThenItsClaimsAreUnderstood() {
		server("greeter", new Greeter()).start();
		// go-micro's auth/jwt token: type, scopes, metadata and the standard claims
		Map<String, Object> claims = new java.util.LinkedHashMap<>();
		claims.put("type", "service");
		claims.put("scopes", List.of("greeter.hello", "service"));
		claims.put("metadata", Map.of("team", "core"));
		claims.put("sub", "svc-account-1");
		claims.put("iss", "micro");
		claims.put("exp", Instant.now().plus(Duration.ofHours(1)).getEpochSecond());
		String token = token(TestKeys.sign(this.rsa, "RS256", claims));
		Reply reply = hello(clientWith(new AtomicReference<>(token)));
		assertThat(reply.subject()).isEqualTo("svc-account-1");
		assertThat(reply.type()).isEqualTo("service");
		assertThat(reply.scopes()).containsExactly("greeter.hello", "service");
		assertThat(reply.metadata()).containsEntry("team", "core");
	}

	@Test
	void whenEndpointIsPublicThenAnonymousCallersGetIn() {
		server("greeter", new Greeter()).start();
		Reply reply = clientWith(new AtomicReference<>())
			.call(Request.of("greeter", "Greeter.Ping", new Hello("x")), Reply.class);
		assertThat(reply.subject()).isEqualTo("anonymous");
		String token = token(TestKeys.sign(this.ec, "ES256", TestKeys.claims("dave", "")));
		assertThat(clientWith(new AtomicReference<>(token))
			.call(Request.of("greeter", "Greeter.Ping", new Hello("x")), Reply.class)
			.subject()).isEqualTo("dave");
	}

	@Test
	void whenCallsAreRefusedTheyAreLoggedOncePerCallerAndNeverWithTheToken() {
		server("greeter", new Greeter()).start();
		DefaultClient anonymous = clientWith(new AtomicReference<>());
		String weak = token(TestKeys.sign(this.rsa, "RS256", TestKeys.claims("alice", "greeter.other")));
		DefaultClient forbidden = clientWith(new AtomicReference<>(weak));
		String foreign = token(TestKeys.sign(TestKeys.rsa(), "RS256", TestKeys.claims("mallory", "greeter.hello")));
		DefaultClient invalid = clientWith(new AtomicReference<>(foreign));
		for (int i = 0; i < 5; i++) {
			assertThat(refusal(anonymous).code()).isEqualTo(401);
			assertThat(refusal(forbidden).code()).isEqualTo(403);
			assertThat(refusal(invalid).code()).isEqualTo(401);
		}
		List<String> refusals = this.log.lines().stream().filter((line) -> line.contains("auth: refused")).toList();
		// both 401s come from one host: one line for the kind; the 403 is logged once for its subject
		assertThat(refusals).hasSize(2);
		assertThat(refusals).anySatisfy((line) -> assertThat(line).startsWith("WARN ")
			.contains("Greeter.Hello from 127.0.0.1: no token"));
		assertThat(refusals).anySatisfy((line) -> assertThat(line)
			.contains("Greeter.Hello to alice from 127.0.0.1: missing scope (needs one of [greeter.hello]"));
	}

	@Test
	void whenTheFrontPassesTheCallersTokenOnThenTheDownstreamServiceSeesTheCaller() {
		server("greeter", new Greeter()).start();
		DefaultClient propagating = client(TokenSuppliers.incoming());
		DefaultClient plain = client(() -> Optional.empty());
		DefaultServer front = server("front", new Front(propagating));
		front.start();
		DefaultServer bareFront = server("barefront", new Front(plain));
		bareFront.start();
		String token = token(TestKeys.sign(this.rsa, "RS256", TestKeys.claims("erin", "greeter.hello")));
		DefaultClient caller = clientWith(new AtomicReference<>(token));
		// Front.Relay needs only an authenticated caller (no rule names it)
		Reply reply = caller.call(Request.of("front", "Front.Relay", new Hello("Erin")), Reply.class);
		assertThat(reply.subject()).isEqualTo("erin");
		// without propagation the caller's token stays at the front: the downstream call has none
		assertThatThrownBy(() -> caller.call(Request.of("barefront", "Front.Relay", new Hello("Erin")), Reply.class))
			.isInstanceOfSatisfying(MicroException.class, (ex) -> {
				assertThat(ex.code()).isEqualTo(401);
				assertThat(ex.detail()).contains("no token");
			});
	}

	/** A subscriber of topic {@code greetings}. */
	public static class Listener {

		final List<String> publishers = new CopyOnWriteArrayList<>();

		public void on(Hello hello) {
			this.publishers.add(MicroAuth.principal().map(AuthPrincipal::subject).orElse("anonymous"));
		}

	}

	@Test
	void whenMessagesCarryATokenThenSubscribersCheckItAndSeeThePublisher() throws Exception {
		Listener listener = new Listener();
		Method on = Listener.class.getMethod("on", Hello.class);
		DefaultServer server = server("greeter", new Greeter());
		server.subscribe("greetings", null, listener, on);
		server.start();
		String token = token(TestKeys.sign(this.ed, "EdDSA", TestKeys.claims("frank", "")));
		clientWith(new AtomicReference<>()).publish("greetings", new Hello("nobody"), Metadata.empty());
		clientWith(new AtomicReference<>(token)).publish("greetings", new Hello("frank"), Metadata.empty());
		await().atMost(Duration.ofSeconds(5)).until(() -> !listener.publishers.isEmpty());
		Thread.sleep(200);
		assertThat(listener.publishers).containsExactly("frank");
		assertThat(this.log.lines()).anySatisfy((line) -> assertThat(line)
			.contains("auth: refused greeter greetings from publisher on topic greetings: no token"));
	}

}
