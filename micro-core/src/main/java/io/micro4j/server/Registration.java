package io.micro4j.server;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.internal.Arguments;
import io.micro4j.registry.ReachabilityCheck;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registration loop of one server: registers its record, renews it every register interval, retries a failed
 * registration sooner and deregisters at stop. {@link DefaultServer} registers its node with it; other servers of
 * the application (a Spring web server, for one) reuse it through {@link #of}.
 * <p>
 * Logging: the first successful registration after a failed start is logged at INFO, so the start line that said
 * "pending" is followed by one that says "registered". Later outages are logged once per outage (WARN, then INFO)
 * only when the registry does not log them itself ({@link ReachabilityCheck}); otherwise at DEBUG, so an outage
 * reads as the registry's two lines.
 */
public final class Registration {

	private static final Logger logger = LoggerFactory.getLogger(Registration.class);

	private static final AtomicInteger COUNT = new AtomicInteger();

	private final String kind;

	private final String nodeId;

	private final Registry registry;

	private final Duration ttl;

	private final Duration interval;

	private final @Nullable ScheduledExecutorService sharedScheduler;

	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable ScheduledFuture<?> renewal;

	private volatile @Nullable Service service;

	private volatile boolean active;

	private volatile boolean registered;

	private volatile boolean failing;

	private volatile boolean everRegistered;

	private int attempts;

	Registration(ServerOptions options) {
		this("micro server", options.registry, options.nodeId(), options.registerTtl, options.registerInterval, null);
	}

	private Registration(String kind, Registry registry, String nodeId, Duration ttl, Duration interval,
			@Nullable ScheduledExecutorService sharedScheduler) {
		this.kind = kind;
		this.sharedScheduler = sharedScheduler;
		this.registry = Objects.requireNonNull(registry, "registry");
		this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
		this.ttl = Objects.requireNonNull(ttl, "ttl");
		this.interval = Objects.requireNonNull(interval, "interval");
	}

	/**
	 * The registration loop of node {@code nodeId} in {@code registry}.
	 * @param kind what the node is, for the log ({@code "web server"})
	 * @param ttl how long the record lives unless renewed; zero registers without expiry
	 * @param interval how often the record is renewed; zero registers once
	 */
	public static Registration of(String kind, Registry registry, String nodeId, Duration ttl, Duration interval) {
		return new Registration(Objects.requireNonNull(kind, "kind"), registry, nodeId,
				Arguments.nonNegative("ttl", ttl), Arguments.nonNegative("interval", interval), null);
	}

	/**
	 * The registration loop of node {@code nodeId} in {@code registry}, renewing and retrying on {@code scheduler}
	 * (shared: {@link #stop()} cancels the renewal and does not shut it down) instead of a thread of its own.
	 * @see #of(String, Registry, String, Duration, Duration)
	 */
	public static Registration of(String kind, Registry registry, String nodeId, Duration ttl, Duration interval,
			ScheduledExecutorService scheduler) {
		return new Registration(Objects.requireNonNull(kind, "kind"), registry, nodeId,
				Arguments.nonNegative("ttl", ttl), Arguments.nonNegative("interval", interval),
				Objects.requireNonNull(scheduler, "scheduler"));
	}

	/**
	 * Registers {@code service} now and renews it every register interval until {@link #stop()}; a failed first
	 * attempt is retried in the background.
	 * @return the failure of the first attempt, or {@code null} when the service is registered
	 */
	public synchronized @Nullable RuntimeException start(Service service) {
		this.service = service;
		this.active = true;
		ScheduledExecutorService s = (this.sharedScheduler != null) ? this.sharedScheduler : ownScheduler();
		this.scheduler = s;
		RuntimeException failure = register();
		long interval = this.interval.toMillis();
		if (interval > 0) {
			this.renewal = s.scheduleWithFixedDelay(this::register, interval, interval, TimeUnit.MILLISECONDS);
		}
		return failure;
	}

	private static ScheduledExecutorService ownScheduler() {
		ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "micro-register-" + COUNT.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		own.setRemoveOnCancelPolicy(true);
		return own;
	}

	/** Stops renewing and deregisters; idempotent. */
	public synchronized void stop() {
		boolean wasActive = this.active;
		this.active = false;
		if (this.renewal != null) {
			this.renewal.cancel(false);
		}
		if (this.scheduler != null && this.scheduler != this.sharedScheduler) {
			this.scheduler.shutdownNow();
		}
		Service s = this.service;
		if (wasActive && s != null) {
			try {
				this.registry.deregister(s);
			}
			catch (RuntimeException ex) {
				logger.warn("deregistering {} failed: {}", this.nodeId, ex.getMessage());
			}
		}
		this.registered = false;
	}

	/** Whether the last registration attempt succeeded. */
	public boolean isRegistered() {
		return this.registered;
	}

	/** Whether a registration attempt has succeeded since {@link #start}. */
	public boolean wasRegistered() {
		return this.everRegistered;
	}

	private @Nullable RuntimeException register() {
		Service s = this.service;
		if (!this.active || s == null) {
			return null;
		}
		boolean quiet = ReachabilityCheck.logsOutages(this.registry);
		try {
			this.registry.register(s, this.ttl);
			this.registered = true;
			if (!this.everRegistered) {
				this.everRegistered = true;
				if (this.attempts > 0) {
					logger.info("{} {} registered as {} in the {} registry after {} failed attempts", this.kind,
							s.name(), this.nodeId, this.registry.name(), this.attempts);
					this.failing = false;
				}
			}
			if (this.failing) {
				if (quiet) {
					logger.debug("registration of {} in the {} registry succeeded again", this.nodeId,
							this.registry.name());
				}
				else {
					logger.info("registration of {} in the {} registry succeeded again", this.nodeId,
							this.registry.name());
				}
				this.failing = false;
			}
			return null;
		}
		catch (RuntimeException ex) {
			this.registered = false;
			if (!this.everRegistered) {
				this.attempts++;
				this.failing = true;
				logger.debug("registration of {} in the {} registry failed (attempt {}): {}", this.nodeId,
						this.registry.name(), this.attempts, ex.getMessage());
			}
			else if (!this.failing) {
				if (quiet) {
					logger.debug("registration of {} in the {} registry failed, retrying: {}", this.nodeId,
							this.registry.name(), ex.getMessage());
				}
				else {
					logger.warn("registration of {} in the {} registry failed, retrying: {}", this.nodeId,
							this.registry.name(), ex.getMessage());
				}
				this.failing = true;
			}
			ScheduledExecutorService scheduler = this.scheduler;
			if (scheduler != null && this.active && !scheduler.isShutdown()) {
				long retry = Math.min(Math.max(this.interval.toMillis() / 4, 100), 5000);
				try {
					scheduler.schedule(this::register, retry, TimeUnit.MILLISECONDS);
				}
				catch (RejectedExecutionException rejected) {
					// stopping
				}
			}
			return ex;
		}
	}

}
