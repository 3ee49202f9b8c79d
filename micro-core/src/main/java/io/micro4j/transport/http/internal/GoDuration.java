package io.micro4j.transport.http.internal;

import java.time.Duration;

/**
 * Formats a duration as Go's {@code time.Duration.String()} does ({@code 5s}, {@code 1.5s}, {@code 250ms},
 * {@code 1m30s}), so error details read like go-micro's.
 */
public final class GoDuration {

	private static final long MICRO = 1_000L;

	private static final long MILLI = 1_000_000L;

	private static final long SECOND = 1_000_000_000L;

	private static final long MINUTE = 60 * SECOND;

	private static final long HOUR = 60 * MINUTE;

	private GoDuration() {
	}

	/** Go's text for {@code duration}; durations beyond about 292 years are clamped. */
	public static String format(Duration duration) {
		long nanos = saturatedNanos(duration);
		if (nanos == 0) {
			return "0s";
		}
		StringBuilder sb = new StringBuilder(16);
		if (nanos < 0) {
			sb.append('-');
			nanos = (nanos == Long.MIN_VALUE) ? Long.MAX_VALUE : -nanos;
		}
		if (nanos < MICRO) {
			return sb.append(nanos).append("ns").toString();
		}
		if (nanos < MILLI) {
			return appendFraction(sb, nanos, MICRO, 3).append("µs").toString();
		}
		if (nanos < SECOND) {
			return appendFraction(sb, nanos, MILLI, 6).append("ms").toString();
		}
		long hours = nanos / HOUR;
		long minutes = (nanos % HOUR) / MINUTE;
		long rest = nanos % MINUTE;
		if (hours > 0) {
			sb.append(hours).append('h');
		}
		if (hours > 0 || minutes > 0) {
			sb.append(minutes).append('m');
		}
		return appendFraction(sb, rest, SECOND, 9).append('s').toString();
	}

	/** {@code duration} in nanoseconds, clamped to the {@code long} range. */
	public static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
		}
	}

	private static StringBuilder appendFraction(StringBuilder sb, long value, long unit, int digits) {
		sb.append(value / unit);
		long fraction = value % unit;
		if (fraction == 0) {
			return sb;
		}
		String text = Long.toString(fraction);
		sb.append('.');
		for (int i = text.length(); i < digits; i++) {
			sb.append('0');
		}
		int end = text.length();
		while (text.charAt(end - 1) == '0') {
			end--;
		}
		return sb.append(text, 0, end);
	}

}
