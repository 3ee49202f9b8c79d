package io.micro4j.transport.http.internal;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GoDurationTests {

	@Test
	void whenFormattedThenTextMatchesGosDurationString() {
		assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
		assertThat(GoDuration.format(Duration.ofNanos(15))).isEqualTo("15ns");
		assertThat(GoDuration.format(Duration.ofNanos(1_500))).isEqualTo("1.5µs");
		assertThat(GoDuration.format(Duration.ofMillis(200))).isEqualTo("200ms");
		assertThat(GoDuration.format(Duration.ofMillis(1))).isEqualTo("1ms");
		assertThat(GoDuration.format(Duration.ofNanos(2_000_001))).isEqualTo("2.000001ms");
		assertThat(GoDuration.format(Duration.ofSeconds(5))).isEqualTo("5s");
		assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
		assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
		assertThat(GoDuration.format(Duration.ofMinutes(1))).isEqualTo("1m0s");
		assertThat(GoDuration.format(Duration.ofHours(2))).isEqualTo("2h0m0s");
		assertThat(GoDuration.format(Duration.ofMillis(-250))).isEqualTo("-250ms");
	}

	@Test
	void whenDurationExceedsNanosecondRangeThenItIsClamped() {
		assertThat(GoDuration.saturatedNanos(Duration.ofDays(365L * 1000))).isEqualTo(Long.MAX_VALUE);
		assertThat(GoDuration.saturatedNanos(Duration.ofDays(-365L * 1000))).isEqualTo(Long.MIN_VALUE);
	}

}
