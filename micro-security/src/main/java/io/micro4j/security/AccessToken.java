package io.micro4j.security;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A bearer token to send, and when it expires (empty: unknown, kept until replaced). {@link #toString()} never shows
 * the value.
 *
 * @param value the token
 * @param expiresAt when it expires, if known
 */
public record AccessToken(String value, Optional<Instant> expiresAt) {

	public AccessToken {
		Objects.requireNonNull(value, "value");
		if (value.isBlank()) {
			throw new IllegalArgumentException("value: blank (expected: a token)");
		}
		Objects.requireNonNull(expiresAt, "expiresAt");
	}

	/** A token whose expiry is unknown. */
	public static AccessToken of(String value) {
		return new AccessToken(value, Optional.empty());
	}

	/** A token expiring at {@code expiresAt}. */
	public static AccessToken of(String value, Instant expiresAt) {
		return new AccessToken(value, Optional.of(expiresAt));
	}

	@Override
	public String toString() {
		return "AccessToken[value=<hidden>, expiresAt=" + this.expiresAt.map(Instant::toString).orElse("unknown")
				+ "]";
	}

}
