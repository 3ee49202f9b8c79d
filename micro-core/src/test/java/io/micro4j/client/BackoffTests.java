package io.micro4j.client;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTests {

	@Test
	void whenExponentialThenDelaysAreGoMicros() {
		Backoff backoff = Backoff.exponential();
		assertThat(backoff.delay(0)).isZero();
		assertThat(backoff.delay(1).toMillis()).isEqualTo(100);
		assertThat(backoff.delay(2).toMillis()).isEqualTo(658);
		assertThat(backoff.delay(3).toMillis()).isBetween(1975L, 1990L);
		assertThat(backoff.delay(5).toMillis()).isBetween(7900L, 7990L);
		assertThat(backoff.delay(14)).isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void whenParsedFromOneStringThenTheRightBackoffIsBuilt() {
		assertThat(Backoff.parse("exponential").delay(1).toMillis()).isEqualTo(100);
		assertThat(Backoff.parse("none").delay(3)).isZero();
		assertThat(Backoff.parse("250ms").delay(3)).isEqualTo(Duration.ofMillis(250));
		assertThat(Backoff.parse("2s").delay(1)).isEqualTo(Duration.ofSeconds(2));
		assertThat(Backoff.parse("PT0.5S").delay(1)).isEqualTo(Duration.ofMillis(500));
		assertThat(Backoff.parse("1s").delay(0)).isZero();
		assertThatThrownBy(() -> Backoff.parse("often")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("expected");
	}

	@Test
	void whenOptionsAreInvalidThenTheMessageSaysWhatIsExpected() {
		assertThatThrownBy(() -> CallOptions.builder().retries(-1).build()).hasMessage("retries: -1 (expected: >= 0)");
		assertThat(CallOptions.defaults().retries()).isEqualTo(5);
		assertThat(CallOptions.defaults().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(CallOptions.defaults().connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
	}

}
