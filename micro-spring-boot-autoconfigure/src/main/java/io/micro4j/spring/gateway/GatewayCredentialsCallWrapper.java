package io.micro4j.spring.gateway;

import io.micro4j.client.CallFunction;
import io.micro4j.client.CallWrapper;
import org.springframework.core.Ordered;

/**
 * Keeps a gateway call's credentials the HTTP caller's own: when the caller sent no {@code Authorization}, the
 * token a client decorator added (micro-security's {@code BearerTokenCallWrapper} at order -350, with
 * {@code micro.client.auth.*} set) is removed again, so an anonymous caller of the gateway never calls with the
 * application's identity. Calls that do not come from the {@link MicroGatewayHandler} pass untouched.
 * <p>
 * Order {@value #ORDER}: once per call, inside the bearer-token decorator, outside the circuit breaker
 * ({@value CallWrapper#CIRCUIT_BREAKER_ORDER}) and the retries.
 */
public final class GatewayCredentialsCallWrapper implements CallWrapper, Ordered {

	/** This decorator's place in the client chain: {@value}. */
	public static final int ORDER = -340;

	@Override
	public CallFunction wrap(CallFunction next) {
		return (context) -> {
			if (context.metadata(MicroGatewayHandler.NO_CALLER_TOKEN).isPresent()) {
				context.removeMetadata(MicroGatewayHandler.NO_CALLER_TOKEN);
				context.removeMetadata("Authorization");
			}
			return next.callSafely(context);
		};
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
