package io.micro4j.security;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.micro4j.client.CallFunction;
import io.micro4j.client.CallWrapper;
import io.micro4j.errors.MicroException;
import org.springframework.core.Ordered;

/**
 * The client decorator of bearer-token authentication: adds {@code Authorization: Bearer <token>} from a
 * {@link TokenSupplier} to every outgoing call, as go-micro's auth client wrapper does, unless the call's metadata
 * already has an {@code Authorization} (set by the caller on the request). Without a token the call goes without.
 * A supplier that fails fails the call with a 401, id {@code go.micro.client}, whose detail names the call and the
 * failure's type only.
 * <p>
 * Order {@value #ORDER}: inside the observation ({@value CallWrapper#OBSERVATION_ORDER}), outside the circuit
 * breaker ({@value CallWrapper#CIRCUIT_BREAKER_ORDER}) and the retry stage, so the token is fetched once per call
 * and every attempt carries it, and a token that cannot be had does not count against the service's breaker.
 */
public final class BearerTokenCallWrapper implements CallWrapper, Ordered {

	/** This decorator's place in the client chain: {@value}. */
	public static final int ORDER = -350;

	private final TokenSupplier tokens;

	public BearerTokenCallWrapper(TokenSupplier tokens) {
		this.tokens = Objects.requireNonNull(tokens, "tokens");
	}

	@Override
	public CallFunction wrap(CallFunction next) {
		return (context) -> {
			if (context.metadata(MicroAuth.AUTHORIZATION).isEmpty()) {
				Optional<AccessToken> token;
				try {
					token = this.tokens.token();
				}
				catch (RuntimeException ex) {
					return CompletableFuture.failedFuture(MicroException.unauthorized("go.micro.client",
							"no token for %s %s: %s", context.service(), context.endpoint(),
							ex.getClass().getSimpleName()));
				}
				token.ifPresent((value) -> context.putMetadata(MicroAuth.AUTHORIZATION,
						MicroAuth.BEARER_PREFIX + value.value()));
			}
			return next.callSafely(context);
		};
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
