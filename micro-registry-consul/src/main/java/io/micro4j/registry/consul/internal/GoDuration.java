package io.micro4j.registry.consul.internal;

import java.time.Duration;

/** Go's {@code time.Duration.String()} format ({@code 1m30s}, {@code 1h0m0s}, {@code 1.5s}, {@code 500ms}). */
public final class GoDuration {

	private GoDuration() {
	}

	/** {@code duration} as Go's {@code fmt.Sprintf("%v", d)} prints it (non-negative durations). */
	public static String format(Duration duration) {
		long nanos = duration.toNanos();
		if (nanos == 0) {
			return "0s";
		}
		if (nanos < 1_000_000_000L) {
			if (nanos < 1_000L) {
				return nanos + "ns";
			}
			if (nanos < 1_000_000L) {
				return fraction(nanos, 1_000L) + "µs";
			}
			return fraction(nanos, 1_000_000L) + "ms";
		}
		long hours = nanos / 3_600_000_000_000L;
		long minutes = (nanos / 60_000_000_000L) % 60;
		String seconds = fraction(nanos % 60_000_000_000L, 1_000_000_000L) + "s";
		if (hours > 0) {
			return hours + "h" + minutes + "m" + seconds;
		}
		if (minutes > 0) {
			return minutes + "m" + seconds;
		}
		return seconds;
	}

	private static String fraction(long value, long unit) {
		long whole = value / unit;
		long rest = value % unit;
		if (rest == 0) {
			return Long.toString(whole);
		}
		int digits = Long.toString(unit).length() - 1;
		String decimals = String.format("%0" + digits + "d", rest).replaceAll("0+$", "");
		return whole + "." + decimals;
	}

}
