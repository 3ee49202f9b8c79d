package io.micro4j.security;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer context-propagation's view of {@link MicroAuth#principal()}, so the caller's principal follows the
 * call context to executors, {@code @Async} methods and Reactor. Registered through
 * {@code META-INF/services/io.micrometer.context.ThreadLocalAccessor}; its key is {@value #KEY}.
 */
public final class AuthPrincipalAccessor implements ThreadLocalAccessor<AuthPrincipal> {

	/** The key of the principal in a {@link io.micrometer.context.ContextSnapshot}. */
	public static final String KEY = "micro4j.auth-principal";

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public @Nullable AuthPrincipal getValue() {
		return MicroAuth.currentOrNull();
	}

	@Override
	public void setValue(AuthPrincipal value) {
		MicroAuth.set(value);
	}

	@Override
	public void setValue() {
		MicroAuth.set(null);
	}

	@Override
	public void restore(AuthPrincipal previousValue) {
		MicroAuth.set(previousValue);
	}

	@Override
	public void restore() {
		MicroAuth.set(null);
	}

}
