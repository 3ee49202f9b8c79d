package io.micro4j.security;

import java.security.KeyPair;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micro4j.metadata.Metadata;
import io.micro4j.server.HandlerFunction;
import io.micro4j.server.ServerRequest;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuthHandlerWrapperTests {

	private final KeyPair ed = TestKeys.ed25519();

	@Test
	void whenTheCallIsAuthenticatedThenThePrincipalIsAnAttributeAndFollowsTheHandlerToAnExecutor() throws Exception {
		Authenticator authenticator = Authenticator.builder(
				MicroJwtDecoders.builder().publicKey(this.ed.getPublic()).build()).build();
		String token = TestKeys.sign(this.ed, "EdDSA", TestKeys.claims("heidi", "a b"));
		ServerRequest request = new ServerRequest("greeter", "Greeter.Hello", "application/json",
				Metadata.of("Authorization", "Bearer " + token), new Object());
		ExecutorService executor = ContextExecutorService.wrap(Executors.newSingleThreadExecutor(),
				() -> ContextSnapshotFactory.builder().build().captureAll());
		try {
			HandlerFunction handler = new AuthHandlerWrapper(authenticator)
				.wrap((req) -> MicroAuth.principal().map(AuthPrincipal::subject).orElse("none") + " / "
						+ executor.submit(() -> MicroAuth.principal().map(AuthPrincipal::scopes).orElseThrow()).get());
			assertThat(handler.handle(request)).isEqualTo("heidi / [a, b]");
			assertThat(request.attribute(MicroAuth.PRINCIPAL_ATTRIBUTE, AuthPrincipal.class))
				.map(AuthPrincipal::subject).contains("heidi");
			assertThat(MicroAuth.principal()).isEqualTo(Optional.empty());
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void whenTheWrapperRunsThenItsOrderPlacesItBeforeWrappersWithoutOne() {
		assertThat(new AuthHandlerWrapper(Authenticator.builder((t) -> {
			throw new UnsupportedOperationException();
		}).build()).getOrder()).isEqualTo(AuthHandlerWrapper.ORDER).isNegative();
		assertThat(BearerTokenCallWrapper.ORDER).isBetween(io.micro4j.client.CallWrapper.OBSERVATION_ORDER,
				io.micro4j.client.CallWrapper.CIRCUIT_BREAKER_ORDER);
	}

}
