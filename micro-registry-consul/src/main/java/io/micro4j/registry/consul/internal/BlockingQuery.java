package io.micro4j.registry.consul.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endless blocking query on a path: each answer is handed to the handler on the dispatcher thread and the next
 * query starts from the answer's index. Failures are retried with jittered back-off (100 ms doubling up to 2 s),
 * logged once per outage; an index that goes back (Consul lost its state) restarts from the new index.
 */
public final class BlockingQuery implements AutoCloseable {

	static final long MIN_BACKOFF_MILLIS = 100;

	static final long MAX_BACKOFF_MILLIS = 2000;

	private static final Logger logger = LoggerFactory.getLogger(BlockingQuery.class);

	private final ConsulHttp http;

	private final String path;

	private final Supplier<Duration> wait;

	private final ScheduledExecutorService scheduler;

	private final ExecutorService dispatcher;

	private final Handler handler;

	private long index;

	private long backoff = MIN_BACKOFF_MILLIS;

	private boolean failing;

	private volatile @Nullable CompletableFuture<?> inFlight;

	private volatile boolean closed;

	/**
	 * A query of {@code path} continuing from {@code index}; call {@link #start()}.
	 * @param wait the wait of the next query (asked before each one)
	 */
	public BlockingQuery(ConsulHttp http, String path, long index, Supplier<Duration> wait,
			ScheduledExecutorService scheduler, ExecutorService dispatcher, Handler handler) {
		this.http = http;
		this.path = path;
		this.index = index;
		this.wait = wait;
		this.scheduler = scheduler;
		this.dispatcher = dispatcher;
		this.handler = handler;
	}

	/** Sends the first query. */
	public void start() {
		next();
	}

	private void next() {
		if (this.closed) {
			return;
		}
		CompletableFuture<ConsulHttp.Response> future = this.http.blockingGet(this.path, this.index, this.wait.get());
		this.inFlight = future;
		future.whenComplete((response, error) -> {
			if (this.closed) {
				return;
			}
			try {
				this.dispatcher.execute(() -> handle(response, error));
			}
			catch (RejectedExecutionException ex) {
				// closing
			}
		});
	}

	private void handle(ConsulHttp.@Nullable Response response, @Nullable Throwable error) {
		if (this.closed) {
			return;
		}
		if (error != null || response == null || !response.ok()) {
			String reason = (error != null) ? this.http.failure("GET " + this.path, unwrap(error)).detail()
					: "Consul " + this.http.base() + ": GET " + this.path + " answered " + response.summary();
			if (!this.failing) {
				this.failing = true;
				logger.debug("{}; retrying with back-off", reason);
			}
			else {
				logger.debug("{}", reason);
			}
			long delay = this.backoff / 2 + ThreadLocalRandom.current().nextLong(this.backoff / 2 + 1);
			this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MILLIS);
			try {
				this.scheduler.schedule(this::next, delay, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// closing
			}
			return;
		}
		boolean recovered = this.failing;
		if (recovered) {
			this.failing = false;
			logger.debug("Consul {}: GET {} works again", this.http.base(), this.path);
		}
		this.backoff = MIN_BACKOFF_MILLIS;
		boolean reset = response.index() < this.index;
		this.index = Math.max(response.index(), 1);
		try {
			this.handler.onAnswer(response, recovered || reset);
		}
		catch (RuntimeException ex) {
			logger.warn("Handling the answer of GET {} failed", this.path, ex);
		}
		next();
	}

	private static Throwable unwrap(Throwable error) {
		return (error instanceof java.util.concurrent.CompletionException && error.getCause() != null)
				? error.getCause() : error;
	}

	/** Stops querying; idempotent. */
	@Override
	public void close() {
		this.closed = true;
		CompletableFuture<?> future = this.inFlight;
		if (future != null) {
			future.cancel(true);
		}
	}

	/** What to do with an answer. */
	@FunctionalInterface
	public interface Handler {

		/**
		 * Called on the dispatcher thread with each successful answer.
		 * @param disrupted whether the previous query failed or Consul's index went back (it may have lost its
		 * state)
		 */
		void onAnswer(ConsulHttp.Response response, boolean disrupted);

	}

}
