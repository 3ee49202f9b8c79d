package io.micro4j.metadata;

import java.time.Duration;

/**
 * A point in time, measured on {@link System#nanoTime()}, by which a call must finish.
 */
public final class Deadline implements Comparable<Deadline> {

	private final long nanos;

	private Deadline(long nanos) {
		this.nanos = nanos;
	}

	/** A deadline {@code timeout} from now; a negative timeout is treated as zero. */
	public static Deadline after(Duration timeout) {
		long t = timeout.isNegative() ? 0 : saturatedNanos(timeout);
		long now = System.nanoTime();
		long at = now + t;
		if (t > 0 && at < now) {
			at = Long.MAX_VALUE;
		}
		return new Deadline(at);
	}

	/** The time left, zero once expired. */
	public Duration remaining() {
		long left = this.nanos - System.nanoTime();
		return Duration.ofNanos(Math.max(0, left));
	}

	/** Nanoseconds left, zero once expired. */
	public long remainingNanos() {
		return Math.max(0, this.nanos - System.nanoTime());
	}

	public boolean isExpired() {
		return this.nanos - System.nanoTime() <= 0;
	}

	/** The earlier of this deadline and {@code other}. */
	public Deadline min(Deadline other) {
		return (this.nanos - other.nanos <= 0) ? this : other;
	}

	@Override
	public int compareTo(Deadline other) {
		return Long.compare(this.nanos - other.nanos, 0);
	}

	private static long saturatedNanos(Duration d) {
		try {
			return d.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	@Override
	public String toString() {
		return "Deadline[remaining=" + remaining() + "]";
	}

}
