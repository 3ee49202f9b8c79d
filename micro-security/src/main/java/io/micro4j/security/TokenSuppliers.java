package io.micro4j.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.micro4j.metadata.CallContext;
import org.jspecify.annotations.Nullable;

/** The usual {@link TokenSupplier}s. */
public final class TokenSuppliers {

	/** How long before its expiry a cached token is replaced by default: {@value} seconds. */
	public static final long DEFAULT_REFRESH_BEFORE_SECONDS = 30;

	private TokenSuppliers() {
	}

	/** Always {@code token} (e.g. a service account's long-lived token). */
	public static TokenSupplier fixed(String token) {
		Optional<AccessToken> value = Optional.of(AccessToken.of(token.trim()));
		return () -> value;
	}

	/**
	 * The token of the call being handled on this thread ({@code Authorization: Bearer ...} of the incoming
	 * {@link CallContext}), so a downstream call acts for the original caller; empty outside a call or when the
	 * caller sent none.
	 */
	public static TokenSupplier incoming() {
		return () -> CallContext.current()
			.metadata()
			.get(MicroAuth.AUTHORIZATION)
			.map(String::trim)
			.filter((value) -> value.regionMatches(true, 0, MicroAuth.BEARER_PREFIX, 0,
					MicroAuth.BEARER_PREFIX.length()))
			.map((value) -> value.substring(MicroAuth.BEARER_PREFIX.length()).trim())
			.filter((value) -> !value.isEmpty())
			.map(AccessToken::of);
	}

	/** The first token one of {@code suppliers} has, asked in order; empty when none has one. */
	public static TokenSupplier firstOf(List<TokenSupplier> suppliers) {
		List<TokenSupplier> all = List.copyOf(suppliers);
		return () -> {
			for (TokenSupplier supplier : all) {
				Optional<AccessToken> token = supplier.token();
				if (token.isPresent()) {
					return token;
				}
			}
			return Optional.empty();
		};
	}

	/**
	 * {@code source}'s token, kept until {@code refreshBefore} ahead of its expiry, then fetched again (by one
	 * thread; the others wait for it). A token without expiry is kept until {@code source} is asked again for
	 * another reason: never. An empty answer is not kept.
	 */
	public static TokenSupplier cached(TokenSupplier source, Duration refreshBefore) {
		return new Cached(source, refreshBefore, Clock.systemUTC());
	}

	static TokenSupplier cached(TokenSupplier source, Duration refreshBefore, Clock clock) {
		return new Cached(source, refreshBefore, clock);
	}

	private static final class Cached implements TokenSupplier {

		private final TokenSupplier source;

		private final Duration refreshBefore;

		private final Clock clock;

		private volatile @Nullable AccessToken current;

		Cached(TokenSupplier source, Duration refreshBefore, Clock clock) {
			this.source = Objects.requireNonNull(source, "source");
			if (refreshBefore.isNegative()) {
				throw new IllegalArgumentException("refreshBefore: " + refreshBefore + " (expected: >= 0)");
			}
			this.refreshBefore = refreshBefore;
			this.clock = clock;
		}

		@Override
		public Optional<AccessToken> token() {
			AccessToken token = this.current;
			if (fresh(token)) {
				return Optional.of(token);
			}
			synchronized (this) {
				token = this.current;
				if (fresh(token)) {
					return Optional.of(token);
				}
				Optional<AccessToken> fetched = this.source.token();
				this.current = fetched.orElse(null);
				return fetched;
			}
		}

		private boolean fresh(@Nullable AccessToken token) {
			if (token == null) {
				return false;
			}
			Instant now = this.clock.instant();
			return token.expiresAt().map((exp) -> now.isBefore(exp.minus(this.refreshBefore))).orElse(true);
		}

	}

}
