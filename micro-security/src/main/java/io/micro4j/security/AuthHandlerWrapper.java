package io.micro4j.security;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

import io.micro4j.server.HandlerFunction;
import io.micro4j.server.HandlerWrapper;
import org.springframework.core.Ordered;

/**
 * The server decorator of bearer-token authentication (go-micro's auth handler wrapper): every call passes the
 * {@link Authenticator} for its endpoint before the handler runs; a refused call is answered with go-micro's 401 or
 * 403 and never reaches the wrappers after this one. The caller's {@link AuthPrincipal} is in the request attribute
 * {@link MicroAuth#PRINCIPAL_ATTRIBUTE} for later wrappers and in {@link MicroAuth#principal()} while the handler
 * runs on the handler's thread (and, through context-propagation, on executors it hands work to).
 * <p>
 * Order: {@value #ORDER}, so as a Spring bean it runs outside wrapper beans without a lower {@code @Order}: they see
 * only authenticated calls. gRPC calls of a micro server on {@code micro-grpc}'s transport take the same path.
 */
public final class AuthHandlerWrapper implements HandlerWrapper, Ordered {

	/** The order of this wrapper among {@code HandlerWrapper} beans: {@value} (lowest is outermost). */
	public static final int ORDER = -1000;

	private final Authenticator authenticator;

	public AuthHandlerWrapper(Authenticator authenticator) {
		this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
	}

	@Override
	public HandlerFunction wrap(HandlerFunction next) {
		return (request) -> {
			String caller = request.remoteAddress().map(AuthHandlerWrapper::host).orElse("unknown caller");
			Optional<AuthPrincipal> principal = this.authenticator.authenticate(request.service(),
					request.endpoint(), request.headers(), caller);
			request.setAttribute(MicroAuth.PRINCIPAL_ATTRIBUTE, principal.orElse(null));
			try (MicroAuth.Scope scope = MicroAuth.bind(principal.orElse(null))) {
				return next.handle(request);
			}
		};
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	private static String host(InetSocketAddress address) {
		return (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
	}

}
