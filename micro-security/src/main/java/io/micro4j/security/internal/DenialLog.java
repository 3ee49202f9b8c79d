package io.micro4j.security.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.micro4j.internal.LogSafe;
import org.slf4j.Logger;

/**
 * Logs refused calls once per caller and kind within a window, not once per call: the first refusal of a caller
 * logs a WARN; further ones within {@code window} are counted, and the next line after the window says how many
 * there were. Remembers at most {@value #MAX_CALLERS} callers (then forgets them all and starts again), so a flood
 * of callers cannot grow it without bound. Thread-safe.
 */
public final class DenialLog {

	/** How many callers are remembered at most: {@value}. */
	public static final int MAX_CALLERS = 10_000;

	private final Logger logger;

	private final long windowNanos;

	private final LongSupplier nanoClock;

	private final Map<String, Entry> callers = new ConcurrentHashMap<>();

	public DenialLog(Logger logger, Duration window) {
		this(logger, window, System::nanoTime);
	}

	DenialLog(Logger logger, Duration window, LongSupplier nanoClock) {
		this.logger = logger;
		this.windowNanos = window.toNanos();
		this.nanoClock = nanoClock;
	}

	/**
	 * Reports one refusal of {@code caller} of kind {@code kind} (e.g. {@code 401}); logs
	 * {@code "<message> (<n> more from this caller in the last <window>)"} when the caller was not logged for this
	 * kind within the window. The message must not hold secrets; it is escaped and cut.
	 * @return whether a line was logged
	 */
	public boolean denied(String kind, String caller, String message) {
		if (this.callers.size() >= MAX_CALLERS) {
			this.callers.clear();
		}
		long now = this.nanoClock.getAsLong();
		Entry entry = this.callers.computeIfAbsent(kind + ' ' + caller, (key) -> new Entry(now - this.windowNanos));
		long last = entry.loggedAt.get();
		if (now - last >= this.windowNanos && entry.loggedAt.compareAndSet(last, now)) {
			long suppressed = entry.suppressed.getAndSet(0);
			if (suppressed > 0) {
				this.logger.warn("{} ({} more refused from this caller since the last report)",
						LogSafe.text(message, 500), suppressed);
			}
			else {
				this.logger.warn("{}", LogSafe.text(message, 500));
			}
			return true;
		}
		entry.suppressed.incrementAndGet();
		return false;
	}

	private static final class Entry {

		final AtomicLong loggedAt;

		final AtomicLong suppressed = new AtomicLong();

		Entry(long loggedAt) {
			this.loggedAt = new AtomicLong(loggedAt);
		}

	}

}
