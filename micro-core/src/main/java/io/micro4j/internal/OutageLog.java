package io.micro4j.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Logs a condition that lasts — a registry out of reach, a port out of file descriptors — once when it starts and
 * once when it ends, however many times it is reported in between.
 * <p>
 * {@link #failed(Throwable)} logs one WARN with the cause (escaped and cut, see {@link LogSafe}) the first time it is
 * called after the condition was clear; {@link #recovered()} logs one INFO with the outage's length the first time it
 * is called while the condition holds. Both are safe to call from any thread, as often as events happen: the
 * transitions are decided by a compare-and-set, so exactly one caller logs each of them.
 */
public final class OutageLog {

	private static final long CLEAR = Long.MIN_VALUE;

	private final Logger logger;

	private final String subject;

	private final LongSupplier nanoClock;

	private final AtomicLong since = new AtomicLong(CLEAR);

	/**
	 * @param logger the logger both lines go to
	 * @param subject what fails, as it reads in a sentence, e.g. {@code "etcd registry at 127.0.0.1:2379"}
	 */
	public OutageLog(Logger logger, String subject) {
		this(logger, subject, System::nanoTime);
	}

	OutageLog(Logger logger, String subject, LongSupplier nanoClock) {
		this.logger = Objects.requireNonNull(logger, "logger");
		this.subject = Objects.requireNonNull(subject, "subject");
		this.nanoClock = nanoClock;
	}

	/**
	 * Reports that the condition holds; logs {@code "<subject> is unreachable: <cause>"} at WARN when it did not
	 * before.
	 * @return whether this call started the outage (and logged)
	 */
	public boolean failed(@Nullable Throwable cause) {
		return failed(cause == null ? "unknown cause" : describe(cause), "is unreachable");
	}

	/**
	 * Reports that the condition holds, with its own wording: logs {@code "<subject> <what>: <detail>"} at WARN when
	 * it did not hold before.
	 * @return whether this call started the outage (and logged)
	 */
	public boolean failed(String detail, String what) {
		long now = nanoClock.getAsLong();
		if (now == CLEAR) {
			now++;
		}
		if (since.compareAndSet(CLEAR, now)) {
			logger.warn("{} {}: {}", subject, what, LogSafe.text(detail, 500));
			return true;
		}
		return false;
	}

	/**
	 * Reports that the condition is clear; logs {@code "<subject> is reachable again after <duration>"} at INFO
	 * when it held before.
	 * @return whether this call ended an outage (and logged)
	 */
	public boolean recovered() {
		return recovered("is reachable again");
	}

	/**
	 * Reports that the condition is clear, with its own wording: logs {@code "<subject> <what> after <duration>"} at
	 * INFO when it held before.
	 * @return whether this call ended an outage (and logged)
	 */
	public boolean recovered(String what) {
		long start = since.get();
		if (start != CLEAR && since.compareAndSet(start, CLEAR)) {
			Duration length = Duration.ofNanos(nanoClock.getAsLong() - start);
			logger.info("{} {} after {}", subject, what, Durations.brief(length));
			return true;
		}
		return false;
	}

	/** Whether the condition holds now. */
	public boolean isFailing() {
		return since.get() != CLEAR;
	}

	/** How long the condition has held, or {@link Duration#ZERO} when it does not. */
	public Duration failingFor() {
		long start = since.get();
		return start == CLEAR ? Duration.ZERO : Duration.ofNanos(nanoClock.getAsLong() - start);
	}

	private static String describe(Throwable cause) {
		StringBuilder sb = new StringBuilder();
		Throwable current = cause;
		for (int depth = 0; current != null && depth < LogSafe.MAX_CAUSES; depth++) {
			if (sb.length() > 0) {
				sb.append("; caused by ");
			}
			sb.append(current.getClass().getSimpleName());
			if (current.getMessage() != null) {
				sb.append(": ").append(current.getMessage());
			}
			current = current.getCause() == current ? null : current.getCause();
		}
		return sb.toString();
	}

	/** Short human durations for log lines. */
	static final class Durations {

		private Durations() {
		}

		static String brief(Duration duration) {
			long millis = duration.toMillis();
			if (millis < 1000) {
				return millis + " ms";
			}
			if (millis < 120_000) {
				return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
			}
			return (millis / 60_000) + " min " + ((millis / 1000) % 60) + " s";
		}

	}

}
