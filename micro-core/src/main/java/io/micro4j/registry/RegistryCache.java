package io.micro4j.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.micro4j.internal.Arguments;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch-fed cache in front of a registry that keeps serving the last known nodes when the registry fails:
 * go-micro's selector cache, without its defects.
 * <p>
 * The first {@link #getService} of a service starts a watch on it and reads it from the delegate; from then on the
 * watch's events keep the entry current (create and update upsert the node into its version and take the
 * service-level fields from the event; delete removes the node, and a version without nodes). An entry is read
 * again from the delegate when it is older than the {@linkplain Builder#ttl TTL} and its watch is not working, or,
 * for a service the delegate did not know, when it is older than {@value #NOT_FOUND_TTL_MILLIS} ms (or the TTL if
 * shorter). Concurrent lookups that need the delegate share one read, and while an entry that is already known is
 * being read again, other lookups get the known entry without waiting. When the delegate fails, the last known
 * entry is returned (a warning is logged once per outage and service, not per call; at DEBUG when the delegate logs
 * its outages itself, see {@link ReachabilityCheck}) and the delegate is asked again after
 * {@value #READ_RETRY_MILLIS} ms at the earliest; only a service that was never read successfully makes
 * {@link #getService} throw.
 * <p>
 * A failed watch is started again with jittered exponential back-off ({@value #MIN_BACKOFF_MILLIS} ms doubling up to
 * {@value #MAX_BACKOFF_MILLIS} ms), after which the service is read again. Each service name looked up keeps its
 * entry and its watch until the cache is closed. {@link #register}, {@link #deregister},
 * {@link #listServices} and {@link #watch} go straight to the delegate. {@link #close()} stops the cache's watches
 * (idempotent) but does not close the delegate; afterwards lookups go straight to the delegate.
 */
public final class RegistryCache implements Registry {

	/** go-micro's cache TTL: 1 minute. */
	public static final Duration DEFAULT_TTL = Duration.ofMinutes(1);

	/** How long an empty answer (service not known) is trusted, unless the TTL is shorter. */
	public static final long NOT_FOUND_TTL_MILLIS = 1000;

	/** First delay before a failed watch is started again. */
	public static final long MIN_BACKOFF_MILLIS = 100;

	/** Longest delay between attempts to start a failed watch again. */
	public static final long MAX_BACKOFF_MILLIS = 30_000;

	/** After a failed read the last known entry is served for this long before the delegate is asked again. */
	public static final long READ_RETRY_MILLIS = 1000;

	private static final Logger logger = LoggerFactory.getLogger(RegistryCache.class);

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private final Registry delegate;

	private final long ttlNanos;

	private final long notFoundTtlNanos;

	private final long readRetryNanos;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final ScheduledExecutorService scheduler;

	private final boolean ownsScheduler;

	private final Set<Future<?>> rewatches = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	private RegistryCache(Builder builder) {
		this.delegate = builder.delegate;
		this.ttlNanos = builder.ttl.toNanos();
		this.notFoundTtlNanos = Math.min(this.ttlNanos, TimeUnit.MILLISECONDS.toNanos(NOT_FOUND_TTL_MILLIS));
		this.readRetryNanos = builder.readRetry.toNanos();
		if (builder.scheduler != null) {
			this.scheduler = builder.scheduler;
			this.ownsScheduler = false;
		}
		else {
			int instance = INSTANCES.incrementAndGet();
			ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1, runnable -> {
				Thread thread = new Thread(runnable, "micro-registry-cache-" + instance);
				thread.setDaemon(true);
				return thread;
			});
			own.setRemoveOnCancelPolicy(true);
			this.scheduler = own;
			this.ownsScheduler = true;
		}
	}

	/** A builder of a cache in front of {@code delegate}. */
	public static Builder builder(Registry delegate) {
		return new Builder(delegate);
	}

	@Override
	public String name() {
		return this.delegate.name();
	}

	@Override
	public void register(Service service, Duration ttl) {
		this.delegate.register(service, ttl);
	}

	@Override
	public void deregister(Service service) {
		this.delegate.deregister(service);
	}

	/**
	 * The versions of service {@code name}, from the cache when the entry is current, otherwise from the delegate.
	 * @return one entry per version; empty if the service is not registered
	 * @throws RegistryException if the delegate fails and the service was never read successfully
	 */
	@Override
	public List<Service> getService(String name) {
		Objects.requireNonNull(name, "name");
		if (this.closed) {
			return this.delegate.getService(name);
		}
		Entry entry = this.entries.computeIfAbsent(name, Entry::new);
		return entry.get();
	}

	@Override
	public List<Service> listServices() {
		return this.delegate.listServices();
	}

	/**
	 * The client's view: each service looked up so far with the versions (and their nodes) the cache serves now,
	 * without asking the delegate.
	 * @return service name → versions, sorted by name; a service that was never read successfully is left out, and
	 * the map is empty once the cache is closed
	 */
	public Map<String, List<Service>> cachedServices() {
		Map<String, List<Service>> cached = new TreeMap<>();
		this.entries.forEach((name, entry) -> {
			if (entry.loaded) {
				cached.put(name, entry.snapshot);
			}
		});
		return Collections.unmodifiableMap(cached);
	}

	@Override
	public Watch watch(@Nullable String service, RegistryListener listener) {
		return this.delegate.watch(service, listener);
	}

	/** Stops the cache's watches and re-watch timers; idempotent. The delegate is left open. */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.ownsScheduler) {
			this.scheduler.shutdownNow();
		}
		else {
			this.rewatches.forEach((rewatch) -> rewatch.cancel(false));
			this.rewatches.clear();
		}
		this.entries.values().forEach(Entry::stop);
		this.entries.clear();
	}

	private static long backoffMillis(int attempt) {
		long delay = MIN_BACKOFF_MILLIS << Math.min(attempt, 20);
		delay = Math.min(delay, MAX_BACKOFF_MILLIS);
		// "equal jitter": half fixed, half random, so many clients do not re-watch in lockstep
		long half = delay / 2;
		return half + ThreadLocalRandom.current().nextLong(half + 1);
	}

	/**
	 * What the cache knows about one service. Mutable state is written with the entry's monitor held; the fields
	 * read by the lock-free fast path are volatile.
	 */
	private final class Entry {

		private final String name;

		/** version → service, or {@code null} before the first successful read. */
		private @Nullable Map<String, Service> versions;

		private volatile boolean loaded;

		private volatile List<Service> snapshot = List.of();

		private volatile long readAtNanos;

		/** Set when a read is needed regardless of age (the watch was restarted, or its restart read failed). */
		private volatile boolean mustRead;

		private volatile boolean watchHealthy;

		/** Set after a failed read: the stale entry is served without asking the delegate until the retry time. */
		private volatile boolean readFailed;

		private volatile long readFailedAtNanos;

		private @Nullable CompletableFuture<List<Service>> loading;

		/** Events that arrived while a read was in flight; applied on top of the read's result. */
		private @Nullable List<RegistryEvent> pending;

		private @Nullable Watch watch;

		/** Incremented whenever a watch is started or dropped; events of older watches are ignored. */
		private int watchGeneration;

		private boolean watchStarted;

		private int rewatchAttempt;

		private boolean outage;

		private boolean stopped;

		Entry(String name) {
			this.name = name;
		}

		List<Service> get() {
			if (this.loaded && isFresh()) {
				return this.snapshot;
			}
			CompletableFuture<List<Service>> load;
			boolean loader = false;
			boolean startWatch = false;
			synchronized (this) {
				if (this.loaded && isFresh()) {
					return this.snapshot;
				}
				if (this.loading != null) {
					if (this.loaded) {
						// someone is already refreshing; the current entry is good enough meanwhile
						return this.snapshot;
					}
					load = this.loading;
				}
				else {
					load = beginLoad();
					loader = true;
					startWatch = !this.watchStarted;
					this.watchStarted = true;
				}
			}
			if (loader) {
				if (startWatch) {
					// before the read, so that no change between the read and the watch is missed
					startWatch();
				}
				read(load);
			}
			try {
				return load.join();
			}
			catch (CompletionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				if (cause instanceof RegistryException registryException) {
					throw registryException;
				}
				throw new RegistryException("service " + this.name + ": lookup failed: " + cause, cause);
			}
		}

		/** Called with the monitor held. */
		private CompletableFuture<List<Service>> beginLoad() {
			CompletableFuture<List<Service>> load = new CompletableFuture<>();
			this.loading = load;
			this.pending = new ArrayList<>();
			return load;
		}

		/** Whether the loaded entry can be served without asking the delegate. */
		private boolean isFresh() {
			long now = System.nanoTime();
			if (this.readFailed && now - this.readFailedAtNanos < RegistryCache.this.readRetryNanos) {
				return true;
			}
			if (this.mustRead) {
				return false;
			}
			boolean empty = this.snapshot.isEmpty();
			if (this.watchHealthy && !empty) {
				return true;
			}
			long age = now - this.readAtNanos;
			return age < (empty ? RegistryCache.this.notFoundTtlNanos : RegistryCache.this.ttlNanos);
		}

		/** Reads the delegate and completes {@code load}; runs on the caller's thread (or the scheduler's). */
		private void read(CompletableFuture<List<Service>> load) {
			List<Service> fetched;
			try {
				fetched = RegistryCache.this.delegate.getService(this.name);
			}
			catch (RuntimeException ex) {
				readFailed(load, ex);
				return;
			}
			List<Service> result;
			synchronized (this) {
				Map<String, Service> fresh = new LinkedHashMap<>();
				for (Service service : fetched) {
					Service known = fresh.get(service.version());
					fresh.put(service.version(), (known == null) ? service : withNodesOf(known, service.nodes()));
				}
				this.versions = fresh;
				List<RegistryEvent> buffered = (this.pending != null) ? this.pending : List.of();
				this.pending = null;
				buffered.forEach(this::applyEvent);
				publishSnapshot();
				this.readAtNanos = System.nanoTime();
				this.mustRead = false;
				this.readFailed = false;
				this.loaded = true;
				this.loading = null;
				if (this.outage) {
					this.outage = false;
					if (ReachabilityCheck.logsOutages(RegistryCache.this.delegate)) {
						logger.debug("Registry answers again for service {}; cache refreshed", this.name);
					}
					else {
						logger.info("Registry answers again for service {}; cache refreshed", this.name);
					}
				}
				result = this.snapshot;
			}
			load.complete(result);
		}

		private void readFailed(CompletableFuture<List<Service>> load, RuntimeException ex) {
			List<Service> stale = null;
			synchronized (this) {
				this.loading = null;
				this.pending = null;
				if (this.loaded) {
					stale = this.snapshot;
					this.readFailedAtNanos = System.nanoTime();
					this.readFailed = true;
					if (!this.outage) {
						this.outage = true;
						if (ReachabilityCheck.logsOutages(RegistryCache.this.delegate)) {
							logger.debug("Registry lookup of service {} failed; serving the last known nodes until "
									+ "it answers again: {}", this.name, ex.toString());
						}
						else {
							logger.warn("Registry lookup of service {} failed; serving the last known nodes until "
									+ "it answers again: {}", this.name, ex.toString());
						}
					}
				}
			}
			if (stale != null) {
				load.complete(stale);
			}
			else {
				load.completeExceptionally(ex);
			}
		}

		/**
		 * Starts a watch, never with the monitor held (a delegate may deliver events from inside
		 * {@code watch(...)}); on failure schedules another attempt.
		 */
		private void startWatch() {
			int generation;
			synchronized (this) {
				if (this.stopped || RegistryCache.this.closed) {
					return;
				}
				generation = ++this.watchGeneration;
			}
			Watch started;
			try {
				started = RegistryCache.this.delegate.watch(this.name, new RegistryListener() {

					@Override
					public void onEvent(RegistryEvent event) {
						onWatchEvent(generation, event);
					}

					@Override
					public void onError(Throwable error) {
						onWatchError(generation, error);
					}

				});
			}
			catch (RuntimeException ex) {
				synchronized (this) {
					if (generation == this.watchGeneration && !this.stopped) {
						logger.debug("Watching service {} failed; trying again after a back-off", this.name, ex);
						this.watchHealthy = false;
						scheduleRewatch();
					}
				}
				return;
			}
			boolean superseded;
			synchronized (this) {
				superseded = generation != this.watchGeneration || this.stopped;
				if (!superseded) {
					this.watch = started;
					this.watchHealthy = true;
				}
			}
			if (superseded) {
				closeQuietly(started);
			}
		}

		private void onWatchEvent(int generation, RegistryEvent event) {
			synchronized (this) {
				if (generation != this.watchGeneration || this.stopped) {
					return;
				}
				if (this.pending != null) {
					this.pending.add(event);
				}
				if (this.versions != null) {
					applyEvent(event);
					publishSnapshot();
				}
			}
		}

		private void onWatchError(int generation, Throwable error) {
			Watch failed;
			synchronized (this) {
				if (generation != this.watchGeneration || this.stopped) {
					return;
				}
				logger.debug("Watch of service {} failed; watching again after a back-off", this.name, error);
				this.watchHealthy = false;
				failed = dropWatch();
				scheduleRewatch();
			}
			closeQuietly(failed);
		}

		/** Called with the monitor held. */
		private void scheduleRewatch() {
			long delay = backoffMillis(this.rewatchAttempt++);
			try {
				Set<Future<?>> pending = RegistryCache.this.rewatches;
				pending.removeIf(Future::isDone);
				pending.add(RegistryCache.this.scheduler.schedule(this::rewatch, delay, TimeUnit.MILLISECONDS));
			}
			catch (RejectedExecutionException ex) {
				// closed meanwhile
			}
		}

		private void rewatch() {
			startWatch();
			CompletableFuture<List<Service>> load = null;
			synchronized (this) {
				if (this.stopped || !this.watchHealthy) {
					return;
				}
				// changes may have been missed while no watch was running: read again
				this.mustRead = true;
				this.readFailed = false;
				if (this.loading == null) {
					load = beginLoad();
				}
			}
			if (load != null) {
				read(load);
				synchronized (this) {
					if (!this.mustRead) {
						this.rewatchAttempt = 0;
					}
				}
			}
		}

		/** Applies a watch event to {@link #versions}; called with the monitor held. */
		private void applyEvent(RegistryEvent event) {
			Map<String, Service> map = this.versions;
			Service changed = event.service();
			if (map == null || !this.name.equals(changed.name())) {
				return;
			}
			Set<String> ids = changed.nodes().stream().map(Node::id).collect(Collectors.toSet());
			switch (event.type()) {
				case CREATE, UPDATE -> {
					if (event.type() == RegistryEvent.Type.UPDATE) {
						// a node whose record moved to another version leaves its old version
						for (String version : List.copyOf(map.keySet())) {
							if (!version.equals(changed.version())) {
								removeNodes(map, version, ids);
							}
						}
					}
					Service known = map.get(changed.version());
					List<Node> nodes = new ArrayList<>();
					if (known != null) {
						for (Node node : known.nodes()) {
							if (!ids.contains(node.id())) {
								nodes.add(node);
							}
						}
					}
					nodes.addAll(changed.nodes());
					if (!nodes.isEmpty()) {
						map.put(changed.version(), changed.withNodes(nodes));
					}
				}
				case DELETE -> removeNodes(map, changed.version(), ids);
			}
		}

		private void removeNodes(Map<String, Service> map, String version, Set<String> ids) {
			Service known = map.get(version);
			if (known == null) {
				return;
			}
			List<Node> left = new ArrayList<>(known.nodes());
			if (!left.removeIf(node -> ids.contains(node.id()))) {
				return;
			}
			if (left.isEmpty()) {
				map.remove(version);
			}
			else {
				map.put(version, known.withNodes(left));
			}
		}

		/** Called with the monitor held. */
		private void publishSnapshot() {
			Map<String, Service> map = this.versions;
			this.snapshot = (map != null) ? List.copyOf(map.values()) : List.of();
		}

		/** Forgets the current watch and returns it for closing outside the monitor; called with it held. */
		private @Nullable Watch dropWatch() {
			Watch current = this.watch;
			this.watch = null;
			this.watchGeneration++;
			return current;
		}

		private void closeQuietly(@Nullable Watch watch) {
			if (watch == null) {
				return;
			}
			try {
				watch.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Closing the watch of service {} failed", this.name, ex);
			}
		}

		void stop() {
			Watch current;
			synchronized (this) {
				this.stopped = true;
				this.watchHealthy = false;
				current = dropWatch();
			}
			closeQuietly(current);
		}

	}

	private static Service withNodesOf(Service service, List<Node> more) {
		List<Node> nodes = new ArrayList<>(service.nodes());
		nodes.addAll(more);
		return service.withNodes(nodes);
	}

	/** Builds a {@link RegistryCache}. */
	public static final class Builder {

		private final Registry delegate;

		private Duration ttl = DEFAULT_TTL;

		private Duration readRetry = Duration.ofMillis(READ_RETRY_MILLIS);

		private @Nullable ScheduledExecutorService scheduler;

		private Builder(Registry delegate) {
			this.delegate = Objects.requireNonNull(delegate, "delegate");
		}

		/**
		 * How long an entry is trusted without a working watch before it is read again; {@link #DEFAULT_TTL} (1
		 * minute) by default.
		 * @throws IllegalArgumentException if {@code ttl} is negative
		 */
		public Builder ttl(Duration ttl) {
			this.ttl = Arguments.nonNegative("ttl", ttl);
			return this;
		}

		/** How long the last known entry is served after a failed read before the delegate is asked again; for tests. */
		Builder readRetry(Duration readRetry) {
			this.readRetry = Objects.requireNonNull(readRetry, "readRetry");
			return this;
		}

		/**
		 * A shared timer for the re-watch back-offs (such as a {@link io.micro4j.runtime.MicroRuntime#timer()}); the
		 * cache cancels its own tasks on close and never shuts the timer down. {@code null} (default): one daemon
		 * thread owned by the cache.
		 */
		public Builder scheduler(@Nullable ScheduledExecutorService scheduler) {
			this.scheduler = scheduler;
			return this;
		}

		/** The cache; it starts no thread work until the first lookup. */
		public RegistryCache build() {
			return new RegistryCache(this);
		}

	}

}
