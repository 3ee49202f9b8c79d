package io.micro4j.client;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

import io.micro4j.internal.Arguments;

/**
 * How many retries a service may receive on top of its calls: over a sliding window, at most {@link #ratio()} ×
 * the calls in the window, and never fewer than {@link #minRetries()} (so a service called rarely can still be
 * retried). With the default (20 % over 10 s, at least 10), a dependency that fails every call receives at most
 * 1.2× its normal load plus the floor, instead of 6× with five retries per call. A retry the budget refuses fails
 * the call with its last error and counts as {@code micro.client.retry.budget.exhausted}.
 * <p>
 * Immutable; the client keeps one window per service.
 *
 * @param ratio retries allowed per call in the window, e.g. {@code 0.2}
 * @param minRetries retries always allowed in the window
 * @param window the length of the sliding window
 */
public record RetryBudget(double ratio, int minRetries, Duration window) {

	/** Default ratio: {@value}. */
	public static final double DEFAULT_RATIO = 0.2;

	/** Default floor: {@value} retries per window. */
	public static final int DEFAULT_MIN_RETRIES = 10;

	/** Default window: 10 seconds. */
	public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

	private static final int BUCKETS = 10;

	private static final RetryBudget DEFAULTS = new RetryBudget(DEFAULT_RATIO, DEFAULT_MIN_RETRIES, DEFAULT_WINDOW);

	private static final RetryBudget UNLIMITED = new RetryBudget(Double.POSITIVE_INFINITY, Integer.MAX_VALUE,
			DEFAULT_WINDOW);

	public RetryBudget {
		if (!(ratio >= 0)) {
			throw new IllegalArgumentException("ratio: " + ratio + " (expected: >= 0)");
		}
		Arguments.nonNegative("minRetries", minRetries);
		Arguments.positive("window", window);
		if (window.toMillis() < BUCKETS) {
			throw new IllegalArgumentException("window: " + window + " (expected: >= " + BUCKETS + "ms)");
		}
	}

	/** 20 % extra attempts over 10 seconds, at least 10. */
	public static RetryBudget defaults() {
		return DEFAULTS;
	}

	/** No limit but the retries of each call. */
	public static RetryBudget unlimited() {
		return UNLIMITED;
	}

	Window newWindow(LongSupplier nanoTime) {
		return new Window(this, nanoTime);
	}

	/** The sliding window of one service: calls and retries counted in ten buckets. */
	static final class Window {

		private final RetryBudget budget;

		private final LongSupplier nanoTime;

		private final long bucketNanos;

		private final AtomicLongArray epochs = new AtomicLongArray(BUCKETS);

		private final AtomicLongArray calls = new AtomicLongArray(BUCKETS);

		private final AtomicLongArray retries = new AtomicLongArray(BUCKETS);

		Window(RetryBudget budget, LongSupplier nanoTime) {
			this.budget = budget;
			this.nanoTime = nanoTime;
			this.bucketNanos = Math.max(1, budget.window().toNanos() / BUCKETS);
			for (int i = 0; i < BUCKETS; i++) {
				this.epochs.set(i, Long.MIN_VALUE);
			}
		}

		/** Counts a call (its first attempt). */
		void onCall() {
			if (this.budget == UNLIMITED) {
				return;
			}
			this.calls.incrementAndGet(bucket(this.nanoTime.getAsLong() / this.bucketNanos));
		}

		/** Takes one retry from the budget; {@code false} when the budget is spent. */
		boolean tryRetry() {
			if (this.budget == UNLIMITED) {
				return true;
			}
			long epoch = this.nanoTime.getAsLong() / this.bucketNanos;
			int current = bucket(epoch);
			long callSum = 0;
			long retrySum = 0;
			for (int i = 0; i < BUCKETS; i++) {
				long e = this.epochs.get(i);
				if (e != Long.MIN_VALUE && epoch - e < BUCKETS) {
					callSum += this.calls.get(i);
					retrySum += this.retries.get(i);
				}
			}
			double allowed = Math.max(this.budget.minRetries(), this.budget.ratio() * callSum);
			if (retrySum + 1 > allowed) {
				return false;
			}
			this.retries.incrementAndGet(current);
			return true;
		}

		private int bucket(long epoch) {
			int index = (int) Math.floorMod(epoch, (long) BUCKETS);
			long seen = this.epochs.get(index);
			if (seen != epoch && this.epochs.compareAndSet(index, seen, epoch)) {
				// a new period for this bucket; an increment racing with the reset may be lost, which a budget tolerates
				this.calls.set(index, 0);
				this.retries.set(index, 0);
			}
			return index;
		}

	}

}
