package io.micro4j.client;

import java.time.Duration;

/**
 * The wait before retry attempt {@code n} (attempt 0 is the first call and never waits).
 */
@FunctionalInterface
public interface Backoff {

	/** The wait before attempt {@code attempt} (0-based). */
	Duration delay(int attempt);

	/**
	 * go-micro's {@code backoff.Do}: {@code attempt^e × 100 ms}, capped at 2 minutes; attempts 1..5 wait 100 ms,
	 * 658 ms, 1.98 s, 4.33 s, 7.94 s.
	 */
	static Backoff exponential() {
		return attempt -> {
			if (attempt <= 0) {
				return Duration.ZERO;
			}
			if (attempt > 13) {
				return Duration.ofMinutes(2);
			}
			return Duration.ofNanos((long) (Math.pow(attempt, Math.E) * 100_000_000L));
		};
	}

	/**
	 * Exponential backoff with jitter: before retry {@code n} a random wait between half and all of
	 * {@code min(max, base × 2^(n−1))}, so clients that failed together do not retry together. The default of
	 * {@link CallOptions}: {@code exponentialJitter(100ms, 2s)}.
	 */
	static Backoff exponentialJitter(Duration base, Duration max) {
		long baseNanos = io.micro4j.internal.Arguments.positive("base", base).toNanos();
		long maxNanos = io.micro4j.internal.Arguments.positive("max", max).toNanos();
		return attempt -> {
			if (attempt <= 0) {
				return Duration.ZERO;
			}
			int shift = Math.min(attempt - 1, 62);
			long ceiling = (baseNanos > (maxNanos >> shift)) ? maxNanos : Math.min(baseNanos << shift, maxNanos);
			long half = ceiling / 2;
			return Duration.ofNanos(half + java.util.concurrent.ThreadLocalRandom.current().nextLong(ceiling - half + 1));
		};
	}

	/** The same wait before every retry. */
	static Backoff fixed(Duration delay) {
		return attempt -> (attempt <= 0) ? Duration.ZERO : delay;
	}

	/** No wait at all. */
	static Backoff none() {
		return attempt -> Duration.ZERO;
	}

	/**
	 * Parses a backoff from one string: {@code exponential} (go-micro's), {@code jitter} (the default,
	 * {@link #exponentialJitter(Duration, Duration) exponentialJitter(100ms, 2s)}), {@code none}, or a fixed duration such as
	 * {@code 100ms}, {@code 2s}, {@code PT0.5S}.
	 * @throws IllegalArgumentException for anything else
	 */
	static Backoff parse(String text) {
		String t = text.trim().toLowerCase(java.util.Locale.ROOT);
		switch (t) {
			case "exponential":
				return exponential();
			case "none":
				return none();
			case "jitter":
				return exponentialJitter(Duration.ofMillis(100), Duration.ofSeconds(2));
			default:
				return fixed(Durations.parse(text));
		}
	}

}
