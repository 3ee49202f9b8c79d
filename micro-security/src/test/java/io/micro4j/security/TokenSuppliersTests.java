package io.micro4j.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.metadata.CallContext;
import io.micro4j.metadata.Metadata;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenSuppliersTests {

	/** A clock the test moves. */
	static final class TestClock extends Clock {

		Instant now = Instant.parse("2026-12-01T10:00:00Z");

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

	@Test
	void whenCachedTokenNearsExpiryThenItIsFetchedAgain() {
		TestClock clock = new TestClock();
		AtomicInteger fetches = new AtomicInteger();
		TokenSupplier source = () -> Optional.of(AccessToken.of("t" + fetches.incrementAndGet(),
				clock.now.plus(Duration.ofMinutes(5))));
		TokenSupplier cached = TokenSuppliers.cached(source, Duration.ofSeconds(30), clock);
		assertThat(cached.token()).map(AccessToken::value).contains("t1");
		clock.now = clock.now.plus(Duration.ofMinutes(4));
		assertThat(cached.token()).map(AccessToken::value).contains("t1");
		clock.now = clock.now.plus(Duration.ofSeconds(31));
		assertThat(cached.token()).map(AccessToken::value).contains("t2");
		assertThat(cached.token()).map(AccessToken::value).contains("t2");
		assertThat(fetches).hasValue(2);
	}

	@Test
	void whenSourceHasNoTokenThenNothingIsCached() {
		AtomicInteger asks = new AtomicInteger();
		TokenSupplier cached = TokenSuppliers.cached(() -> {
			asks.incrementAndGet();
			return Optional.empty();
		}, Duration.ofSeconds(30));
		assertThat(cached.token()).isEmpty();
		assertThat(cached.token()).isEmpty();
		assertThat(asks).hasValue(2);
	}

	@Test
	void whenInsideACallThenIncomingPassesTheCallersBearerTokenOn() {
		assertThat(TokenSuppliers.incoming().token()).isEmpty();
		try (CallContext.Scope scope = CallContext.of(Metadata.of("authorization", "bearer abc.def.ghi"), null)
			.makeCurrent()) {
			assertThat(TokenSuppliers.incoming().token()).map(AccessToken::value).contains("abc.def.ghi");
			assertThat(CallContext.current().propagatedMetadata().get("Authorization")).isEmpty();
		}
		try (CallContext.Scope scope = CallContext.of(Metadata.of("Authorization", "Basic dXNlcg=="), null)
			.makeCurrent()) {
			assertThat(TokenSuppliers.incoming().token()).isEmpty();
		}
	}

	@Test
	void whenFirstOfThenTheFirstSupplierWithATokenWins() {
		TokenSupplier supplier = TokenSuppliers.firstOf(List.of(TokenSuppliers.incoming(),
				TokenSuppliers.fixed("own")));
		assertThat(supplier.token()).map(AccessToken::value).contains("own");
		assertThat(AccessToken.of("secret-value").toString()).doesNotContain("secret-value");
	}

}
