package io.micro4j.registry.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryEvent;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.Service;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory {@link Registry} named {@code memory}: the embedded default and the registry of tests.
 * <p>
 * Like go-micro's etcd registry it keeps one record per node, keyed by service name, version and node id, each
 * carrying the service-level fields (metadata, endpoints) of the registration that wrote it. {@link #getService}
 * merges the records of one service into one {@link Service} per version, the first record of a version supplying
 * its service-level fields.
 * <p>
 * A record expires {@code ttl} after it was last registered (a zero TTL never expires). Expired records are removed
 * by a sweeper that runs every {@value #SWEEP_INTERVAL_MILLIS} ms and on every read, and each removal is a
 * {@link RegistryEvent.Type#DELETE DELETE} event.
 * <p>
 * Watch events are delivered asynchronously, in the order of the changes, on one daemon dispatcher thread per
 * registry (never on the caller's thread, never under a lock). A listener that throws is logged and does not stop
 * the delivery to others or to itself. Registering a record identical to the stored one only extends its expiry
 * and produces no event.
 * <p>
 * After {@link #close()} (idempotent) every operation fails with {@link RegistryException}.
 */
public final class MemoryRegistry implements Registry {

	/** How often the sweeper looks for expired records, in milliseconds. */
	public static final long SWEEP_INTERVAL_MILLIS = 100;

	private static final Logger logger = LoggerFactory.getLogger(MemoryRegistry.class);

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private final Clock clock;

	private final Object lock = new Object();

	/** service name → (version, node id) → record; insertion ordered so the first record of a version wins. */
	private final Map<String, Map<RecordKey, Record>> services = new LinkedHashMap<>();

	private final List<MemoryWatch> watches = new CopyOnWriteArrayList<>();

	private final ExecutorService dispatcher;

	private final ScheduledExecutorService sweeper;

	private volatile boolean closed;

	/** A registry reading time from the system clock. */
	public MemoryRegistry() {
		this(Clock.systemUTC());
	}

	/**
	 * A registry reading time from {@code clock}, so tests can move time forward; the sweeper still runs every
	 * {@value #SWEEP_INTERVAL_MILLIS} ms of real time and asks {@code clock} what time it is.
	 */
	public MemoryRegistry(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock");
		int instance = INSTANCES.incrementAndGet();
		this.dispatcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				runnable -> daemon(runnable, "micro-memory-registry-" + instance + "-events"));
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
				runnable -> daemon(runnable, "micro-memory-registry-" + instance + "-sweeper"));
		scheduler.setRemoveOnCancelPolicy(true);
		this.sweeper = scheduler;
		this.sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL_MILLIS, SWEEP_INTERVAL_MILLIS,
				TimeUnit.MILLISECONDS);
	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

	@Override
	public String name() {
		return "memory";
	}

	/**
	 * Stores one record per node of {@code service}.
	 * @throws IllegalArgumentException if the service has no nodes or {@code ttl} is negative
	 * @throws RegistryException if the registry is closed
	 */
	@Override
	public void register(Service service, Duration ttl) {
		Registry.checkRegistration(service, ttl);
		synchronized (this.lock) {
			ensureOpen();
			long now = now();
			long expiresAt = ttl.isZero() ? Long.MAX_VALUE : saturatedAdd(now, ttl.toMillis());
			Map<RecordKey, Record> records = this.services.computeIfAbsent(service.name(), n -> new LinkedHashMap<>());
			for (Node node : service.nodes()) {
				RecordKey key = new RecordKey(service.version(), node.id());
				Service single = service.withNodes(List.of(node));
				Record existing = records.get(key);
				if (existing != null && existing.expired(now)) {
					records.remove(key);
					publish(RegistryEvent.Type.DELETE, existing.service());
					existing = null;
				}
				records.put(key, new Record(single, expiresAt));
				if (existing == null) {
					publish(RegistryEvent.Type.CREATE, single);
				}
				else if (!existing.service().equals(single)) {
					publish(RegistryEvent.Type.UPDATE, single);
				}
			}
		}
	}

	/**
	 * Removes the records of the nodes of {@code service} (same name, version and node id); absent ones are
	 * ignored.
	 * @throws RegistryException if the registry is closed
	 */
	@Override
	public void deregister(Service service) {
		Objects.requireNonNull(service, "service");
		synchronized (this.lock) {
			ensureOpen();
			Map<RecordKey, Record> records = this.services.get(service.name());
			if (records == null) {
				return;
			}
			for (Node node : service.nodes()) {
				Record removed = records.remove(new RecordKey(service.version(), node.id()));
				if (removed != null) {
					publish(RegistryEvent.Type.DELETE, removed.service());
				}
			}
			if (records.isEmpty()) {
				this.services.remove(service.name());
			}
		}
	}

	/**
	 * The versions of {@code name}, merged from the unexpired records.
	 * @return one entry per version in the order the versions were first registered; empty if none
	 * @throws RegistryException if the registry is closed
	 */
	@Override
	public List<Service> getService(String name) {
		Objects.requireNonNull(name, "name");
		synchronized (this.lock) {
			ensureOpen();
			expire(now());
			Map<RecordKey, Record> records = this.services.get(name);
			return (records != null) ? merge(records.values()) : List.of();
		}
	}

	/**
	 * Every service version with its nodes.
	 * @return one entry per service and version; empty if nothing is registered
	 * @throws RegistryException if the registry is closed
	 */
	@Override
	public List<Service> listServices() {
		synchronized (this.lock) {
			ensureOpen();
			expire(now());
			List<Service> all = new ArrayList<>();
			for (Map<RecordKey, Record> records : this.services.values()) {
				all.addAll(merge(records.values()));
			}
			return List.copyOf(all);
		}
	}

	/**
	 * Watches one service, or all when {@code service} is {@code null}; events of changes made after this call
	 * returns are delivered.
	 * @throws RegistryException if the registry is closed
	 */
	@Override
	public Watch watch(@Nullable String service, RegistryListener listener) {
		Objects.requireNonNull(listener, "listener");
		synchronized (this.lock) {
			ensureOpen();
			MemoryWatch watch = new MemoryWatch(service, listener);
			this.watches.add(watch);
			return watch;
		}
	}

	/** Stops the sweeper and the dispatcher (events not yet delivered are dropped); idempotent. */
	@Override
	public void close() {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.services.clear();
		}
		this.watches.forEach(MemoryWatch::close);
		this.sweeper.shutdownNow();
		this.dispatcher.shutdownNow();
	}

	private void sweep() {
		try {
			synchronized (this.lock) {
				if (!this.closed) {
					expire(now());
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Sweeping expired registry records failed", ex);
		}
	}

	/** Removes expired records and announces them; called with the lock held. */
	private void expire(long now) {
		for (Iterator<Map<RecordKey, Record>> services = this.services.values().iterator(); services.hasNext();) {
			Map<RecordKey, Record> records = services.next();
			for (Iterator<Record> it = records.values().iterator(); it.hasNext();) {
				Record record = it.next();
				if (record.expired(now)) {
					it.remove();
					logger.debug("Registry record of node {} of {} expired", record.service().nodes().get(0).id(),
							record.service().name());
					publish(RegistryEvent.Type.DELETE, record.service());
				}
			}
			if (records.isEmpty()) {
				services.remove();
			}
		}
	}

	private static List<Service> merge(Iterable<Record> records) {
		Map<String, Service> first = new LinkedHashMap<>();
		Map<String, List<Node>> nodes = new LinkedHashMap<>();
		for (Record record : records) {
			Service service = record.service();
			first.putIfAbsent(service.version(), service);
			nodes.computeIfAbsent(service.version(), v -> new ArrayList<>()).addAll(service.nodes());
		}
		List<Service> merged = new ArrayList<>(first.size());
		first.forEach((version, service) -> merged.add(service.withNodes(nodes.get(version))));
		return List.copyOf(merged);
	}

	/** Queues {@code event} for every matching watch; called with the lock held, so queue order is change order. */
	private void publish(RegistryEvent.Type type, Service service) {
		if (this.watches.isEmpty()) {
			return;
		}
		RegistryEvent event = new RegistryEvent(type, service);
		for (MemoryWatch watch : this.watches) {
			if (watch.matches(service.name())) {
				try {
					this.dispatcher.execute(() -> watch.deliver(event));
				}
				catch (RejectedExecutionException ex) {
					return;
				}
			}
		}
	}

	private void ensureOpen() {
		if (this.closed) {
			throw new RegistryException("memory registry is closed");
		}
	}

	private long now() {
		return this.clock.millis();
	}

	private static long saturatedAdd(long a, long b) {
		long sum = a + b;
		return (((a ^ sum) & (b ^ sum)) < 0) ? Long.MAX_VALUE : sum;
	}

	private record RecordKey(String version, String nodeId) {
	}

	/** One node's record: a service holding exactly that node, and when it expires (epoch millis). */
	private record Record(Service service, long expiresAt) {

		boolean expired(long now) {
			return now >= this.expiresAt;
		}

	}

	private final class MemoryWatch implements Watch {

		private final @Nullable String service;

		private final RegistryListener listener;

		private volatile boolean stopped;

		MemoryWatch(@Nullable String service, RegistryListener listener) {
			this.service = service;
			this.listener = listener;
		}

		boolean matches(String name) {
			return !this.stopped && (this.service == null || this.service.equals(name));
		}

		void deliver(RegistryEvent event) {
			if (this.stopped) {
				return;
			}
			try {
				this.listener.onEvent(event);
			}
			catch (RuntimeException | Error ex) {
				if (ex instanceof VirtualMachineError) {
					throw ex;
				}
				logger.warn("Registry watch listener failed on {} of {}", event.type().action(),
						event.service().name(), ex);
			}
		}

		@Override
		public void close() {
			this.stopped = true;
			MemoryRegistry.this.watches.remove(this);
		}

	}

}
