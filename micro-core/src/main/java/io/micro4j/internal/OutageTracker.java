package io.micro4j.internal;

import java.time.Clock;
import java.util.Objects;

import io.micro4j.errors.MicroException;
import io.micro4j.registry.Reachability;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * An {@link OutageLog} that also remembers when the current outage began and why, for health checks: the one
 * place a client reports the outcome of its exchanges with a server.
 * <p>
 * {@link #failed(Throwable)} and {@link #recovered()} are cheap when nothing changes (one volatile read), so they
 * can be called on every exchange.
 */
public final class OutageTracker {

	private final OutageLog log;

	private final Clock clock;

	private volatile Reachability state = Reachability.up();

	/**
	 * @param logger the logger the WARN and the INFO go to
	 * @param subject what fails, as it reads in a sentence, e.g. {@code "etcd registry at http://10.0.0.1:2379"}
	 */
	public OutageTracker(Logger logger, String subject) {
		this(new OutageLog(logger, subject), Clock.systemUTC());
	}

	OutageTracker(OutageLog log, Clock clock) {
		this.log = Objects.requireNonNull(log, "log");
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * Reports an exchange that failed because the server could not be reached or did not answer; the first after
	 * a success logs the WARN and records the outage.
	 */
	public void failed(@Nullable Throwable cause) {
		if (this.log.isFailing()) {
			return;
		}
		synchronized (this) {
			boolean started = (cause instanceof MicroException micro)
					? this.log.failed(describe(micro), "is unreachable") : this.log.failed(cause);
			if (started) {
				this.state = Reachability.unreachable(this.clock.instant(), describe(cause));
			}
		}
	}

	/**
	 * Reports an exchange that failed for a reason told in words (e.g. an answer that says the server cannot serve);
	 * the first after a success logs the WARN {@code "<subject> is unreachable: <cause>"}.
	 */
	public void failed(String cause) {
		if (this.log.isFailing()) {
			return;
		}
		synchronized (this) {
			if (this.log.failed(cause, "is unreachable")) {
				this.state = Reachability.unreachable(this.clock.instant(), LogSafe.text(cause, 300));
			}
		}
	}

	/** Reports an exchange that succeeded; the first after a failure logs the INFO and clears the outage. */
	public void recovered() {
		if (!this.log.isFailing()) {
			return;
		}
		synchronized (this) {
			if (this.log.recovered()) {
				this.state = Reachability.up();
			}
		}
	}

	/** Whether an outage is in progress. */
	public boolean isFailing() {
		return this.log.isFailing();
	}

	/** The current state: reachable, or unreachable with when and why. */
	public Reachability reachability() {
		return this.state;
	}

	private static String describe(@Nullable Throwable cause) {
		if (cause == null) {
			return "unknown cause";
		}
		String message = (cause instanceof MicroException micro) ? micro.detail() : cause.getMessage();
		String text = cause.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
		return LogSafe.text(text, 300);
	}

}
