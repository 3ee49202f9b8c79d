package io.micro4j.security;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Where a handler or subscriber reads its authenticated caller:
 * <pre>{@code
 * public Reply hello(Request request) {
 *     AuthPrincipal caller = MicroAuth.principal().orElseThrow();
 *     ...
 * }
 * }</pre>
 * The {@link AuthHandlerWrapper} and {@link AuthSubscriberWrapper} bind the principal to the thread that runs the
 * handler, for the time the handler runs, and put it in the {@link io.micro4j.server.ServerRequest} attribute
 * {@link #PRINCIPAL_ATTRIBUTE} for later wrappers. It follows executors and {@code @Async} like the call context does
 * (Micrometer context-propagation, key {@value AuthPrincipalAccessor#KEY}).
 */
public final class MicroAuth {

	/** The {@link io.micro4j.server.ServerRequest} attribute holding the caller's {@link AuthPrincipal}. */
	public static final String PRINCIPAL_ATTRIBUTE = AuthPrincipal.class.getName();

	/** The metadata key carrying the token, as go-micro sends it. */
	public static final String AUTHORIZATION = "Authorization";

	/** The scheme prefix of the {@link #AUTHORIZATION} value, as go-micro's {@code auth.BearerScheme}. */
	public static final String BEARER_PREFIX = "Bearer ";

	private static final ThreadLocal<AuthPrincipal> CURRENT = new ThreadLocal<>();

	private MicroAuth() {
	}

	/**
	 * The caller of the call or message being handled on this thread; empty outside a call, and for an anonymous
	 * caller of a public endpoint.
	 */
	public static Optional<AuthPrincipal> principal() {
		return Optional.ofNullable(CURRENT.get());
	}

	/** Binds {@code principal} (or none) to this thread until the returned scope is closed. */
	static Scope bind(@Nullable AuthPrincipal principal) {
		AuthPrincipal previous = CURRENT.get();
		set(principal);
		return () -> set(previous);
	}

	static @Nullable AuthPrincipal currentOrNull() {
		return CURRENT.get();
	}

	static void set(@Nullable AuthPrincipal principal) {
		if (principal == null) {
			CURRENT.remove();
		}
		else {
			CURRENT.set(principal);
		}
	}

	/** Restores the previous principal when closed. */
	@FunctionalInterface
	interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}
