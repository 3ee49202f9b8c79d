package io.micro4j.transport.http.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micro4j.transport.http.ConnectionLimits;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * The one read deadline of a server connection: what the connection waits for (headers, the next piece of a body,
 * the next request, or nothing while a handler runs), since when, and a check scheduled on the connection's event
 * loop that reports the wait that ran out.
 * <p>
 * Moving the deadline later does not reschedule: the pending check finds the deadline moved and schedules itself
 * again, so a body arriving in many pieces costs one timer per timeout period, not one per piece. Used on the
 * connection's event loop only.
 */
final class ReadDeadline {

	/** What a connection waits for. */
	enum Wait {

		/** Nothing: a request is being handled or the connection is closing. */
		NONE,
		/** The rest of a request's headers (limited by the read-header timeout). */
		HEADERS,
		/** The next piece of a request body (limited by the read timeout). */
		BODY,
		/** The first byte of the next request on a kept-alive connection (limited by the idle timeout). */
		IDLE

	}

	private final EventExecutor executor;

	private final long headerNanos;

	private final long bodyNanos;

	private final long idleNanos;

	private final Consumer<Wait> expired;

	private Wait wait = Wait.NONE;

	private long since;

	private @Nullable ScheduledFuture<?> check;

	private long checkAt;

	ReadDeadline(EventExecutor executor, ConnectionLimits limits, Consumer<Wait> expired) {
		this.executor = executor;
		this.headerNanos = GoDuration.saturatedNanos(limits.readHeaderTimeout());
		this.bodyNanos = GoDuration.saturatedNanos(limits.readTimeout());
		this.idleNanos = GoDuration.saturatedNanos(limits.idleTimeout());
		this.expired = expired;
	}

	/** What the connection waits for now. */
	Wait waiting() {
		return this.wait;
	}

	/** Starts waiting for {@code wait}, counting from {@code sinceNanos} ({@link System#nanoTime()}). */
	void await(Wait wait, long sinceNanos) {
		this.wait = wait;
		this.since = sinceNanos;
		long timeout = timeoutNanos(wait);
		if (timeout <= 0) {
			return;
		}
		long deadline = sinceNanos + timeout;
		ScheduledFuture<?> pending = this.check;
		if (pending == null || this.checkAt - deadline > 0) {
			if (pending != null) {
				pending.cancel(false);
			}
			schedule(deadline);
		}
	}

	/** A piece of a body arrived: the read timeout counts from now. */
	void bodyRead(long nowNanos) {
		if (this.wait == Wait.BODY) {
			this.since = nowNanos;
		}
	}

	/** Stops waiting and cancels the pending check (the connection closed). */
	void cancel() {
		this.wait = Wait.NONE;
		ScheduledFuture<?> pending = this.check;
		this.check = null;
		if (pending != null) {
			pending.cancel(false);
		}
	}

	private void schedule(long deadline) {
		this.checkAt = deadline;
		try {
			this.check = this.executor.schedule(this::fire, Math.max(0, deadline - System.nanoTime()),
					TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			this.check = null;
		}
	}

	private void fire() {
		this.check = null;
		long timeout = timeoutNanos(this.wait);
		if (timeout <= 0) {
			return;
		}
		long deadline = this.since + timeout;
		if (System.nanoTime() - deadline >= 0) {
			Wait ran = this.wait;
			this.wait = Wait.NONE;
			this.expired.accept(ran);
		}
		else {
			schedule(deadline);
		}
	}

	private long timeoutNanos(Wait wait) {
		return switch (wait) {
			case NONE -> 0;
			case HEADERS -> this.headerNanos;
			case BODY -> this.bodyNanos;
			case IDLE -> this.idleNanos;
		};
	}

}
