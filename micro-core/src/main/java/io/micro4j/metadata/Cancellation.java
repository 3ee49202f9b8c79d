package io.micro4j.metadata;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cancellation state of one call: the server creates one per call and cancels it when the caller's deadline
 * passes before the handler answered. A handler observes it through {@link CallContext#isCancelled()} and
 * {@link CallContext#onCancel(Runnable)}; cancelling never interrupts the handler's thread.
 */
public final class Cancellation {

	private static final Logger logger = LoggerFactory.getLogger(Cancellation.class);

	private volatile boolean cancelled;

	private @Nullable List<Runnable> callbacks;

	private Cancellation() {
	}

	/** A new, not yet cancelled state. */
	public static Cancellation create() {
		return new Cancellation();
	}

	/** Whether {@link #cancel()} was called. */
	public boolean isCancelled() {
		return this.cancelled;
	}

	/**
	 * Runs {@code callback} once when this is cancelled: at once on the calling thread if it already is, else on the
	 * thread that cancels (the server's timer thread, so keep it short). A callback that throws is logged and skipped.
	 * Callbacks of a call that completes without being cancelled never run.
	 */
	public void onCancel(Runnable callback) {
		synchronized (this) {
			if (!this.cancelled) {
				if (this.callbacks == null) {
					this.callbacks = new ArrayList<>(2);
				}
				this.callbacks.add(callback);
				return;
			}
		}
		run(callback);
	}

	/**
	 * Cancels and runs the registered callbacks.
	 * @return {@code true} if this call cancelled it, {@code false} if it was already cancelled
	 */
	public boolean cancel() {
		List<Runnable> toRun;
		synchronized (this) {
			if (this.cancelled) {
				return false;
			}
			this.cancelled = true;
			toRun = this.callbacks;
			this.callbacks = null;
		}
		if (toRun != null) {
			for (Runnable callback : toRun) {
				run(callback);
			}
		}
		return true;
	}

	private static void run(Runnable callback) {
		try {
			callback.run();
		}
		catch (RuntimeException ex) {
			logger.warn("a cancellation callback failed: {}", ex.toString(), ex);
		}
	}

	@Override
	public String toString() {
		return "Cancellation[cancelled=" + this.cancelled + "]";
	}

}
