package io.micro4j.runtime;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.internal.Arguments;
import io.micro4j.transport.http.internal.EventLoops;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of a micro4j process, created once and shared (go-micro's {@code micro.NewService} owns them the same
 * way):
 * <ul>
 * <li>one Netty {@link #eventLoopGroup() event loop group} ({@code micro4j-io-N}) for every transport server,
 * transport client and HTTP broker;</li>
 * <li>a bounded {@link #handlerExecutor() handler executor} ({@code micro4j-handler-N}) where server handlers and
 * subscribers run, off the event loop;</li>
 * <li>a bounded {@link #callbackExecutor() callback executor} ({@code micro4j-callback-N}) where asynchronous client
 * calls complete;</li>
 * <li>one {@link #timer() timer} ({@code micro4j-timer}) for retry backoffs, registration renewals and sweeps.</li>
 * </ul>
 * Components handed these threads never shut them down; {@link #close()} does, in the reverse order of creation
 * (timer, callbacks, handlers, event loops), each with a bounded wait. Build with {@link #builder()}; the options are
 * read once, when building. Thread-safe.
 */
public final class MicroRuntime implements AutoCloseable {

	/**
	 * Default handler threads: {@value}, as many as the server had on its own: handlers often block (a database, another
	 * service), and a thread is only created when a call finds the others busy and ends after a minute idle.
	 */
	public static final int DEFAULT_HANDLER_THREADS = 64;

	/** Default handler queue: {@value} calls waiting for a handler thread; beyond that a call is rejected. */
	public static final int DEFAULT_HANDLER_QUEUE_SIZE = 10_000;

	/** Default callback queue: {@value} completions waiting for a callback thread. */
	public static final int DEFAULT_CALLBACK_QUEUE_SIZE = 10_000;

	/** Default wait for each group of threads to end on {@link #close()}: 5 seconds. */
	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(MicroRuntime.class);

	/** Marks the runtime's executor threads, so {@link #close()} knows not to wait for itself. */
	private static final ThreadLocal<Boolean> OWNER = new ThreadLocal<>();

	private final Options options;

	private final EventLoopGroup eventLoopGroup;

	private final ThreadPoolExecutor handlerExecutor;

	private final ThreadPoolExecutor callbackExecutor;

	private final ScheduledThreadPoolExecutor timer;

	private final AtomicBoolean closed = new AtomicBoolean();

	private MicroRuntime(Options options) {
		this.options = options;
		this.eventLoopGroup = new MultiThreadIoEventLoopGroup(options.ioThreads,
				threads(options.prefix + "io-", false, true), NioIoHandler.newFactory());
		this.handlerExecutor = bounded(options.handlerThreads, options.handlerQueueSize,
				threads(options.prefix + "handler-", true, false));
		this.callbackExecutor = bounded(options.callbackThreads, options.callbackQueueSize,
				threads(options.prefix + "callback-", true, false));
		this.timer = new ScheduledThreadPoolExecutor(1, threads(options.prefix + "timer", true, false));
		this.timer.setRemoveOnCancelPolicy(true);
	}

	/** A builder with the defaults described on each of its methods. */
	public static Builder builder() {
		return new Builder();
	}

	/** A runtime with the defaults. */
	public static MicroRuntime create() {
		return builder().build();
	}

	/**
	 * The shared NIO event loop group ({@link Builder#ioThreads(int)} threads): pass it to transport servers, transport
	 * clients and HTTP brokers, which then neither own nor shut it down. Never block on its threads.
	 */
	public EventLoopGroup eventLoopGroup() {
		return this.eventLoopGroup;
	}

	/**
	 * The bounded executor handlers and subscribers run on ({@link Builder#handlerThreads(int)} threads, a queue of
	 * {@link Builder#handlerQueueSize(int)}); a task beyond that is rejected with a
	 * {@link java.util.concurrent.RejectedExecutionException}. Do not shut it down: {@link #close()} does.
	 */
	public ExecutorService handlerExecutor() {
		return this.handlerExecutor;
	}

	/**
	 * The bounded executor asynchronous client calls complete on ({@link Builder#callbackThreads(int)} threads, a queue
	 * of {@link Builder#callbackQueueSize(int)}); beyond that a task is rejected.
	 */
	public Executor callbackExecutor() {
		return this.callbackExecutor;
	}

	/**
	 * The one timer thread: client backoffs, registration renewals, re-watches and sweeps. Tasks must be short; a
	 * cancelled task is removed at once. Do not shut it down: {@link #close()} does.
	 */
	public ScheduledExecutorService timer() {
		return this.timer;
	}

	/** Whether {@link #close()} was called. */
	public boolean isClosed() {
		return this.closed.get();
	}

	/**
	 * Shuts the threads down in the reverse order of their creation: the timer (pending tasks dropped), the callback
	 * executor and the handler executor (queued tasks run, up to the shutdown timeout each, then interrupted), the
	 * event loop group (up to the shutdown timeout). Does not wait when called from one of the runtime's own threads.
	 * Closing again does nothing.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		long waitMillis = this.options.shutdownTimeout.toMillis();
		this.timer.shutdownNow();
		await(this.timer, waitMillis, "timer");
		this.callbackExecutor.shutdown();
		await(this.callbackExecutor, waitMillis, "callback executor");
		this.handlerExecutor.shutdown();
		await(this.handlerExecutor, waitMillis, "handler executor");
		EventLoops.shutdown(this.eventLoopGroup, waitMillis);
	}

	@Override
	public String toString() {
		return "MicroRuntime[io=" + this.options.ioThreads + ", handlers=" + this.options.handlerThreads
				+ ", callbacks=" + this.options.callbackThreads + (this.closed.get() ? ", closed" : "") + "]";
	}

	private static void await(ExecutorService executor, long waitMillis, String what) {
		if (OWNER.get() != null) {
			// one of our own threads closes the runtime: waiting for ourselves would only time out
			executor.shutdownNow();
			return;
		}
		try {
			if (!executor.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
				executor.shutdownNow();
				logger.warn("micro4j runtime: the {} did not end within {} ms; its threads were interrupted", what,
						waitMillis);
			}
		}
		catch (InterruptedException ex) {
			executor.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A pool of at most {@code threads} threads that starts a thread only when a task finds every existing one busy
	 * (a plain {@link ThreadPoolExecutor} starts one per task until its core size is reached, idle ones or not), and
	 * queues up to {@code queueSize} tasks once all threads are busy; beyond that it rejects.
	 */
	private static ThreadPoolExecutor bounded(int threads, int queueSize, ThreadFactory factory) {
		GrowFirstQueue queue = new GrowFirstQueue(queueSize);
		ThreadPoolExecutor pool = new ThreadPoolExecutor(1, threads, 60, TimeUnit.SECONDS, queue, factory,
				(task, executor) -> {
					// every thread busy and the pool at its maximum: queue, unless the queue is full too
					if (executor.isShutdown() || !queue.force(task)) {
						throw new java.util.concurrent.RejectedExecutionException(
								"micro4j runtime: all " + threads + " threads busy and " + queueSize + " tasks queued");
					}
				});
		pool.allowCoreThreadTimeOut(true);
		queue.pool = pool;
		return pool;
	}

	/**
	 * A bounded queue that declines a task while the pool can still start a thread and no thread is idle, so that the
	 * pool grows before it queues (Tomcat's task queue works the same way).
	 */
	private static final class GrowFirstQueue extends ArrayBlockingQueue<Runnable> {

		private static final long serialVersionUID = 1L;

		private transient volatile @org.jspecify.annotations.Nullable ThreadPoolExecutor pool;

		GrowFirstQueue(int capacity) {
			super(capacity);
		}

		@Override
		public boolean offer(Runnable task) {
			ThreadPoolExecutor p = this.pool;
			if (p != null && p.getPoolSize() < p.getMaximumPoolSize() && p.getActiveCount() >= p.getPoolSize()) {
				return false;
			}
			return super.offer(task);
		}

		boolean force(Runnable task) {
			return super.offer(task);
		}

	}

	private static ThreadFactory threads(String name, boolean daemon, boolean fastThreadLocal) {
		AtomicInteger count = new AtomicInteger();
		boolean numbered = !name.endsWith("timer");
		return runnable -> {
			String threadName = numbered ? name + count.incrementAndGet() : name;
			Thread thread;
			if (fastThreadLocal) {
				thread = new FastThreadLocalThread(null, runnable, threadName);
			}
			else {
				thread = new Thread(() -> {
					OWNER.set(Boolean.TRUE);
					runnable.run();
				}, threadName);
			}
			thread.setDaemon(daemon);
			return thread;
		};
	}

	/** The options, read from the builder once. */
	private record Options(String prefix, int ioThreads, int handlerThreads, int handlerQueueSize,
			int callbackThreads, int callbackQueueSize, Duration shutdownTimeout) {
	}

	/** Builds a {@link MicroRuntime}; each option is checked when set. */
	public static final class Builder {

		private String threadNamePrefix = "micro4j-";

		private int ioThreads = Runtime.getRuntime().availableProcessors();

		private int handlerThreads = DEFAULT_HANDLER_THREADS;

		private int handlerQueueSize = DEFAULT_HANDLER_QUEUE_SIZE;

		private int callbackThreads = Math.max(2, Runtime.getRuntime().availableProcessors());

		private int callbackQueueSize = DEFAULT_CALLBACK_QUEUE_SIZE;

		private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

		private Builder() {
		}

		/**
		 * The prefix of every thread name, {@code micro4j-} by default (threads are then {@code micro4j-io-1},
		 * {@code micro4j-handler-1}, {@code micro4j-callback-1}, {@code micro4j-timer}).
		 * @throws IllegalArgumentException when blank
		 */
		public Builder threadNamePrefix(String prefix) {
			if (prefix.isBlank()) {
				throw new IllegalArgumentException("threadNamePrefix: \"" + prefix + "\" (expected: not blank)");
			}
			this.threadNamePrefix = prefix;
			return this;
		}

		/**
		 * Event loop threads, by default the number of processors.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder ioThreads(int ioThreads) {
			this.ioThreads = Arguments.positive("ioThreads", ioThreads);
			return this;
		}

		/**
		 * Handler threads, {@value MicroRuntime#DEFAULT_HANDLER_THREADS} by default; idle ones end after a minute.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder handlerThreads(int handlerThreads) {
			this.handlerThreads = Arguments.positive("handlerThreads", handlerThreads);
			return this;
		}

		/**
		 * Calls that may wait for a handler thread, {@value MicroRuntime#DEFAULT_HANDLER_QUEUE_SIZE} by default.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder handlerQueueSize(int handlerQueueSize) {
			this.handlerQueueSize = Arguments.positive("handlerQueueSize", handlerQueueSize);
			return this;
		}

		/**
		 * Callback threads, by default the number of processors (at least 2); idle ones end after a minute.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder callbackThreads(int callbackThreads) {
			this.callbackThreads = Arguments.positive("callbackThreads", callbackThreads);
			return this;
		}

		/**
		 * Completions that may wait for a callback thread, {@value MicroRuntime#DEFAULT_CALLBACK_QUEUE_SIZE} by
		 * default.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder callbackQueueSize(int callbackQueueSize) {
			this.callbackQueueSize = Arguments.positive("callbackQueueSize", callbackQueueSize);
			return this;
		}

		/**
		 * How long {@link MicroRuntime#close()} waits for each group of threads, 5 seconds by default.
		 * @throws IllegalArgumentException when negative
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = Arguments.nonNegative("shutdownTimeout", shutdownTimeout);
			return this;
		}

		/** A new runtime; its threads start when first used. The builder is not read again. */
		public MicroRuntime build() {
			return new MicroRuntime(new Options(this.threadNamePrefix, this.ioThreads, this.handlerThreads,
					this.handlerQueueSize, this.callbackThreads, this.callbackQueueSize, this.shutdownTimeout));
		}

	}

}
