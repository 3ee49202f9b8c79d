package io.micro4j.security;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.errors.MicroException;
import io.micro4j.grpc.GrpcTransportClient;
import io.micro4j.grpc.GrpcTransportServer;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.server.DefaultServer;
import io.micro4j.transport.http.HttpTransportClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A micro server on the gRPC transport takes the same path: the token travels in gRPC metadata. */
class GrpcAuthTests {

	private final KeyPair ec = TestKeys.ec();

	private final MemoryRegistry registry = new MemoryRegistry();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	record Hello(String name) {
	}

	record Reply(String msg) {
	}

	public static class Greeter {

		@RequiresScopes("greeter.hello")
		public Reply hello(Hello hello) {
			return new Reply("Hello " + hello.name() + " from " + MicroAuth.principal().orElseThrow().subject());
		}

	}

	@AfterEach
	void closeAll() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		this.registry.close();
	}

	@Test
	void whenTheServerIsOnGrpcThenTheSameRulesApply() {
		Authenticator authenticator = Authenticator.builder(MicroJwtDecoders.builder().publicKey(this.ec.getPublic()).build())
			.rules(AccessRules.annotated("Greeter", Greeter.class))
			.build();
		DefaultServer server = DefaultServer.builder("greeter")
			.address("127.0.0.1:0")
			.registry(this.registry)
			.transport(GrpcTransportServer.builder().address("127.0.0.1:0").build())
			.wrapper(new AuthHandlerWrapper(authenticator))
			.build();
		server.handle(new Greeter());
		server.start();
		this.closeables.add(server);
		RegistryCache cache = RegistryCache.builder(this.registry).build();
		DefaultSelector selector = DefaultSelector.builder(cache).build();
		HttpTransportClient http = HttpTransportClient.builder().build();
		GrpcTransportClient grpc = GrpcTransportClient.builder().build();
		AtomicReference<String> token = new AtomicReference<>();
		BearerTokenCallWrapper wrapper = new BearerTokenCallWrapper(
				() -> Optional.ofNullable(token.get()).map(AccessToken::of));
		DefaultClient client = DefaultClient.builder(selector, http)
			.transport("grpc", grpc)
			.registry(cache)
			.wrapper(wrapper.getOrder(), wrapper)
			.build();
		this.closeables.addAll(List.of(cache, selector, http, grpc, client));
		Request request = Request.of("greeter", "Greeter.Hello", new Hello("John"));

		assertThatThrownBy(() -> client.call(request, Reply.class)).isInstanceOfSatisfying(MicroException.class,
				(ex) -> assertThat(ex.code()).isEqualTo(401));
		token.set(TestKeys.sign(this.ec, "ES256", TestKeys.claims("grace", "other")));
		assertThatThrownBy(() -> client.call(request, Reply.class)).isInstanceOfSatisfying(MicroException.class,
				(ex) -> assertThat(ex.code()).isEqualTo(403));
		token.set(TestKeys.sign(this.ec, "ES256", TestKeys.claims("grace", "greeter.hello")));
		assertThat(client.call(request, Reply.class).msg()).isEqualTo("Hello John from grace");
	}

}
