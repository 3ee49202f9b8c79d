package io.micro4j.client;

import java.time.Duration;

/**
 * Parses durations written as {@code 100ms}, {@code 5s}, {@code 1m}, {@code 2h} or ISO-8601.
 */
final class Durations {

	private Durations() {
	}

	static Duration parse(String text) {
		String t = text.trim();
		try {
			if (t.toUpperCase(java.util.Locale.ROOT).startsWith("PT")) {
				return Duration.parse(t);
			}
			if (t.endsWith("ms")) {
				return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
			}
			long n = Long.parseLong(t.substring(0, t.length() - 1).trim());
			return switch (t.charAt(t.length() - 1)) {
				case 's' -> Duration.ofSeconds(n);
				case 'm' -> Duration.ofMinutes(n);
				case 'h' -> Duration.ofHours(n);
				default -> throw new IllegalArgumentException();
			};
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"duration: " + text + " (expected: exponential, none, or a duration such as 100ms, 2s)", ex);
		}
	}

}
