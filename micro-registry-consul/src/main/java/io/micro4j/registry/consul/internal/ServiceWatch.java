package io.micro4j.registry.consul.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import io.micro4j.registry.Node;
import io.micro4j.registry.RegistryEvent;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Watches one service's health with blocking queries and turns each answer into per-node events by comparing it
 * with the previous one: {@code create} for a new node, {@code update} for a node whose record changed,
 * {@code delete} for a node gone (carrying its last record). After a disruption (a failed query, or Consul's index
 * going back because the agent restarted without its state) deletions are held back for the recovery grace period,
 * so that owners can register again before clients drop their nodes.
 */
public final class ServiceWatch implements AutoCloseable {

	/** How long a local change is trusted over Consul's answers about the same node. */
	static final long LOCAL_PIN_MILLIS = 1000;

	private static final Logger logger = LoggerFactory.getLogger(ServiceWatch.class);

	private final String name;

	private final RegistryListener listener;

	private final EntryReader reader;

	private final Duration wait;

	private final long graceNanos;

	private final BlockingQuery query;

	private Map<String, Service> snapshot;

	private long holdDeletesUntil;

	private final Map<String, Long> pinnedUntil = new java.util.HashMap<>();

	private final ExecutorService dispatcher;

	private volatile boolean closed;

	private ServiceWatch(ConsulHttp http, String name, long index, List<Service> initial, Duration wait,
			Duration recoveryGrace, ScheduledExecutorService scheduler, ExecutorService dispatcher,
			RegistryListener listener, EntryReader reader) {
		this.name = name;
		this.listener = listener;
		this.reader = reader;
		this.wait = wait;
		this.graceNanos = recoveryGrace.toNanos();
		this.snapshot = byNode(initial);
		this.dispatcher = dispatcher;
		this.query = new BlockingQuery(http, healthPath(name), index, this::nextWait, scheduler, dispatcher,
				this::onAnswer);
	}

	/**
	 * Starts watching {@code name} from {@code index}, taking {@code initial} as what the listener already knows.
	 */
	public static ServiceWatch start(ConsulHttp http, String name, long index, List<Service> initial, Duration wait,
			Duration recoveryGrace, ScheduledExecutorService scheduler, ExecutorService dispatcher,
			RegistryListener listener, EntryReader reader) {
		ServiceWatch watch = new ServiceWatch(http, name, index, initial, wait, recoveryGrace, scheduler, dispatcher,
				listener, reader);
		watch.query.start();
		return watch;
	}

	/** The health path of service {@code name}, all entries (passing or not), stale reads allowed. */
	public static String healthPath(String name) {
		return "/v1/health/service/" + ConsulHttp.segment(name) + "?stale";
	}

	/** The watched service's name. */
	public String name() {
		return this.name;
	}

	/**
	 * A change this process made through the same registry ({@code service} holds the one node): announced at once
	 * if it changes what the listener knows, and trusted over Consul's answers about that node for
	 * {@value #LOCAL_PIN_MILLIS} ms (the agent syncs its catalog asynchronously).
	 */
	public void local(RegistryEvent.Type type, Service service) {
		try {
			this.dispatcher.execute(() -> applyLocal(type, service));
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// closing
		}
	}

	private void applyLocal(RegistryEvent.Type type, Service service) {
		String id = service.nodes().get(0).id();
		this.pinnedUntil.put(id, System.nanoTime() + LOCAL_PIN_MILLIS * 1_000_000L);
		Map<String, Service> next = new LinkedHashMap<>(this.snapshot);
		Service old = next.get(id);
		if (type == RegistryEvent.Type.DELETE) {
			if (old != null) {
				next.remove(id);
				emit(RegistryEvent.Type.DELETE, old);
			}
		}
		else if (!service.equals(old)) {
			next.put(id, service);
			emit((old == null) ? RegistryEvent.Type.CREATE : RegistryEvent.Type.UPDATE, service);
		}
		this.snapshot = next;
	}

	private boolean pinned(String id, long now) {
		Long until = this.pinnedUntil.get(id);
		if (until == null) {
			return false;
		}
		if (until - now > 0) {
			return true;
		}
		this.pinnedUntil.remove(id);
		return false;
	}

	private Duration nextWait() {
		// wake up when the grace period or a local change's pin ends, to deliver what was held back
		long now = System.nanoTime();
		long remaining = this.holdDeletesUntil - now;
		for (long until : this.pinnedUntil.values()) {
			long left = until - now;
			if (left > 0 && (remaining <= 0 || left < remaining)) {
				remaining = left;
			}
		}
		if (remaining > 0) {
			Duration soon = Duration.ofNanos(Math.max(remaining, 50_000_000L));
			return (soon.compareTo(this.wait) < 0) ? soon : this.wait;
		}
		return this.wait;
	}

	private void onAnswer(ConsulHttp.Response response, boolean disrupted) {
		long now = System.nanoTime();
		if (disrupted && this.graceNanos > 0) {
			this.holdDeletesUntil = now + this.graceNanos;
			logger.debug("Consul watch of {} was disrupted: holding deletions back for {} ms", this.name,
					this.graceNanos / 1_000_000);
		}
		boolean holding = this.holdDeletesUntil - now > 0;
		JsonNode json = response.json().orElse(null);
		if (json == null) {
			return;
		}
		Map<String, Service> current = byNode(this.reader.read(this.name, json));
		Map<String, Service> previous = this.snapshot;
		Map<String, Service> next = new LinkedHashMap<>(current);
		for (Map.Entry<String, Service> entry : previous.entrySet()) {
			if (pinned(entry.getKey(), now)) {
				next.put(entry.getKey(), entry.getValue());
			}
		}
		for (Map.Entry<String, Service> entry : current.entrySet()) {
			if (pinned(entry.getKey(), now)) {
				if (!previous.containsKey(entry.getKey())) {
					next.remove(entry.getKey());
				}
				continue;
			}
			Service old = previous.get(entry.getKey());
			if (old == null) {
				emit(RegistryEvent.Type.CREATE, entry.getValue());
			}
			else if (!old.equals(entry.getValue())) {
				emit(RegistryEvent.Type.UPDATE, entry.getValue());
			}
		}
		for (Map.Entry<String, Service> entry : previous.entrySet()) {
			if (!current.containsKey(entry.getKey()) && !pinned(entry.getKey(), now)) {
				if (holding) {
					next.put(entry.getKey(), entry.getValue());
				}
				else {
					emit(RegistryEvent.Type.DELETE, entry.getValue());
				}
			}
		}
		this.snapshot = next;
	}

	private void emit(RegistryEvent.Type type, Service service) {
		if (this.closed) {
			return;
		}
		try {
			this.listener.onEvent(new RegistryEvent(type, service));
		}
		catch (RuntimeException ex) {
			logger.warn("Registry listener failed on {} of {}", type, this.name, ex);
		}
	}

	private static Map<String, Service> byNode(List<Service> versions) {
		Map<String, Service> nodes = new LinkedHashMap<>();
		for (Service service : versions) {
			for (Node node : service.nodes()) {
				nodes.put(node.id(), service.withNodes(List.of(node)));
			}
		}
		return nodes;
	}

	/** Stops the query; no events follow. Idempotent. */
	@Override
	public void close() {
		this.closed = true;
		this.query.close();
	}

}
