package io.micro4j.selector;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.FailureKind;
import io.micro4j.internal.Arguments;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.Service;
import io.micro4j.transport.ConnectFailedException;
import io.micro4j.transport.ConnectionBrokenException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry-backed selector: go-micro's registry selector with round robin that rotates across calls, a
 * least-request strategy, and passive outlier ejection.
 * <p>
 * {@link #select} reads the service from the registry (put a {@link io.micro4j.registry.RegistryCache} in front of
 * a remote registry), applies the {@link SelectOptions} filters in order and collects the nodes of all remaining
 * versions, each node once, ordered by id. The returned {@link Next} chooses with the service's
 * {@link SelectionStrategy.NodeChooser}, which is created once per service (and per overriding strategy), so round
 * robin rotates across calls. At each {@link Next#next()} it leaves out the nodes that are currently ejected, unless
 * all of them are ("panic mode": then all are candidates), and prefers nodes it has not handed out before in the
 * same selection, so the retries of one call go to other nodes while there are any.
 * <p>
 * {@link #mark} must be called once for every node handed out. It ends the in-flight count that least request uses
 * and feeds passive outlier ejection (Envoy's outlier detection is the model), using the one
 * {@link FailureClassifier}: a node is ejected after {@code consecutiveNotProcessed} (default
 * {@value #DEFAULT_CONSECUTIVE_NOT_PROCESSED}) consecutive failures that never reached it (refused connection...),
 * {@code consecutiveTimeouts} (default {@value #DEFAULT_CONSECUTIVE_TIMEOUTS}) consecutive timeouts, or
 * {@code consecutiveErrors} (default {@value #DEFAULT_CONSECUTIVE_ERRORS}) consecutive 5xx; a caller error (4xx) or a
 * success resets the counts. The ejection lasts {@code ejectionBase × 2^(n−1)}, capped at {@code ejectionMax}, where
 * {@code n} counts the node's ejections since its last success; a node back from an ejection is on probation: its
 * next failure ejects it again at once. At most {@code maxEjectionPercent} (default
 * {@value #DEFAULT_MAX_EJECTION_PERCENT}) of a service's nodes are ejected at a time, but always at least one.
 * <p>
 * A node with {@code maxInFlightPerNode} calls in flight (default {@value #DEFAULT_MAX_IN_FLIGHT_PER_NODE}) is passed
 * over; when all are, {@link Next#next()} throws {@link NodesBusyException}.
 * <p>
 * Per-node state is kept only for nodes the registry still lists: it is pruned at every selection. The selector owns
 * no thread or connection; {@link #close()} only forgets the state.
 */
public final class DefaultSelector implements Selector {

	/** Default first ejection period, in milliseconds. */
	public static final long DEFAULT_EJECTION_BASE_MILLIS = 1000;

	/** Default longest ejection period, in milliseconds. */
	public static final long DEFAULT_EJECTION_MAX_MILLIS = 30_000;

	/** Default consecutive not-processed failures that eject a node: {@value}. */
	public static final int DEFAULT_CONSECUTIVE_NOT_PROCESSED = 1;

	/** Default consecutive timeouts that eject a node: {@value}. */
	public static final int DEFAULT_CONSECUTIVE_TIMEOUTS = 2;

	/** Default consecutive 5xx answers that eject a node: {@value}. */
	public static final int DEFAULT_CONSECUTIVE_ERRORS = 5;

	/** Default largest share of a service's nodes ejected at once, in percent: {@value}. */
	public static final int DEFAULT_MAX_EJECTION_PERCENT = 50;

	/** Default limit of calls in flight per node, from this selector's callers: {@value}. */
	public static final int DEFAULT_MAX_IN_FLIGHT_PER_NODE = 1000;

	/** Default first wait before re-probing an unreachable node, in milliseconds: {@value}. */
	public static final long DEFAULT_PROBE_INTERVAL_MILLIS = 1000;

	/** Probes running at once, at most: {@value}. */
	static final int MAX_PROBES_IN_FLIGHT = 32;

	/** Choosers of strategies passed per selection kept per service; beyond that they are created anew. */
	private static final int MAX_OVERRIDE_CHOOSERS = 8;

	private static final Logger logger = LoggerFactory.getLogger(DefaultSelector.class);

	private final Registry registry;

	private final SelectionStrategy strategy;

	private final long ejectionBaseNanos;

	private final long ejectionMaxNanos;

	private final LongSupplier nanoTime;

	private final int[] thresholds;

	private final int maxEjectionPercent;

	private final int maxInFlightPerNode;

	private final @Nullable NodeProber prober;

	private final @Nullable ScheduledExecutorService probeScheduler;

	private final long probeIntervalNanos;

	private final AtomicInteger probesInFlight = new AtomicInteger();

	private final Queue<Runnable> probeQueue = new ConcurrentLinkedQueue<>();

	private final Map<String, ServiceState> services = new ConcurrentHashMap<>();

	private DefaultSelector(Builder builder) {
		this.registry = builder.registry;
		this.strategy = builder.strategy;
		this.ejectionBaseNanos = builder.ejectionBase.toNanos();
		this.ejectionMaxNanos = builder.ejectionMax.toNanos();
		this.nanoTime = builder.nanoTime;
		this.thresholds = new int[FailureKind.values().length];
		this.thresholds[FailureKind.NOT_PROCESSED.ordinal()] = builder.consecutiveNotProcessed;
		this.thresholds[FailureKind.TIMED_OUT.ordinal()] = builder.consecutiveTimeouts;
		this.thresholds[FailureKind.FAILED_AFTER_PROCESSING.ordinal()] = builder.consecutiveErrors;
		this.thresholds[FailureKind.CALLER_ERROR.ordinal()] = 0;
		this.maxEjectionPercent = builder.maxEjectionPercent;
		this.maxInFlightPerNode = builder.maxInFlightPerNode;
		this.prober = builder.prober;
		this.probeScheduler = builder.probeScheduler;
		this.probeIntervalNanos = builder.probeInterval.toNanos();
	}

	/** A selector over {@code registry} (usually a {@link io.micro4j.registry.RegistryCache}). */
	public static Builder builder(Registry registry) {
		return new Builder(registry);
	}

	/**
	 * {@inheritDoc}
	 * @throws RegistryException if the registry fails (a {@link io.micro4j.registry.RegistryCache} only fails when
	 * it never read the service)
	 */
	@Override
	public Next select(String service, SelectOptions options) {
		Objects.requireNonNull(service, "service");
		Objects.requireNonNull(options, "options");
		List<Service> versions = this.registry.getService(service);
		if (versions.isEmpty()) {
			this.services.remove(service);
			throw new ServiceNotFoundException(service);
		}
		ServiceState state = this.services.computeIfAbsent(service, ServiceState::new);
		List<Node> candidates;
		if (options.filters().isEmpty()) {
			candidates = state.candidates(versions);
			if (candidates == null) {
				state.prune(versions);
				candidates = candidates(versions);
				state.remember(versions, candidates);
				probeUnknown(state, candidates);
			}
		}
		else {
			state.prune(versions);
			List<Service> filtered = versions;
			for (ServiceFilter filter : options.filters()) {
				List<Service> result = filter.apply(filtered);
				filtered = (result != null) ? result : List.of();
			}
			candidates = candidates(filtered);
			// a node first seen through a filter is probed too, or calls that prefer known nodes never try it
			probeUnknown(state, candidates);
		}
		if (candidates.isEmpty()) {
			throw new NoneAvailableException(service);
		}
		SelectionStrategy chosen = options.strategyOverride().orElse(this.strategy);
		return new SelectionNext(state, state.chooser(chosen), candidates);
	}

	/** The nodes of all {@code versions}, each once, ordered by id. */
	private static List<Node> candidates(List<Service> versions) {
		TreeMap<String, Node> byId = new TreeMap<>();
		for (Service version : versions) {
			for (Node node : version.nodes()) {
				byId.putIfAbsent(node.id(), node);
			}
		}
		return List.copyOf(byId.values());
	}

	@Override
	public void mark(String service, Node node, @Nullable Throwable error) {
		ServiceState state = this.services.get(service);
		if (state == null) {
			return;
		}
		FailureKind kind = FailureClassifier.classify(error);
		boolean nodeFailure = kind != null && kind.isNodeFailure();
		NodeState nodeState = nodeFailure ? state.node(node.id()) : state.nodes.get(node.id());
		if (nodeState == null) {
			return;
		}
		nodeState.endCall();
		if (!nodeFailure) {
			nodeState.succeed();
			return;
		}
		boolean unreachable = isUnreachable(error);
		if (unreachable && this.prober != null) {
			int previous = nodeState.markDead();
			if (previous != NodeState.DEAD) {
				// a node that answered before is news; a stale record never seen answering is not
				if (previous == NodeState.HEALTHY && logger.isInfoEnabled()) {
					logger.info("Node {} ({}) of service {} is unreachable ({}); no calls go to it until it accepts "
							+ "a connection again", node.id(), node.address(), service, describe(error));
				}
				else if (logger.isDebugEnabled()) {
					logger.debug("Node {} ({}) of service {} is unreachable ({})", node.id(), node.address(), service,
							describe(error));
				}
				scheduleProbe(state, node, nodeState, nodeState.nextProbeDelay(this.probeIntervalNanos,
						this.ejectionMaxNanos));
			}
			return;
		}
		long now = this.nanoTime.getAsLong();
		FailureKind counted = unreachable ? FailureKind.NOT_PROCESSED : kind;
		int threshold = this.thresholds[counted.ordinal()];
		if (!nodeState.fail(counted, threshold, now)) {
			return;
		}
		int ejected = state.ejectedCount(now);
		int allowed = Math.max(1, state.nodeCount * this.maxEjectionPercent / 100);
		if (ejected >= allowed && !unreachable) {
			logger.debug("Not ejecting node {} of service {}: {} of {} nodes are ejected already (max {}%)", node.id(),
					service, ejected, state.nodeCount, this.maxEjectionPercent);
			return;
		}
		long period = nodeState.eject(now, this.ejectionBaseNanos, this.ejectionMaxNanos);
		if (logger.isInfoEnabled()) {
			logger.info("Ejecting node {} ({}) of service {} for {} ms after {} (ejection {} since its last success)",
					node.id(), node.address(), service, period / 1_000_000, describe(kind, threshold),
					nodeState.ejections());
		}
	}

	/**
	 * Whether {@code error} says the node is not there: no connection could be made, or an open one was reset or
	 * closed mid-call (the process died). Such nodes are excluded until a probe connects, and are not counted against
	 * the ejection cap: a node that refuses connections cannot take a call anyway.
	 */
	static boolean isUnreachable(@Nullable Throwable error) {
		Throwable current = error;
		for (int depth = 0; current != null && depth < 16; depth++) {
			if (current instanceof ConnectFailedException || current instanceof ConnectionBrokenException
					|| current instanceof ConnectException || current instanceof NoRouteToHostException) {
				return true;
			}
			current = current.getCause();
		}
		return false;
	}

	private static String describe(Throwable error) {
		String message = error.getMessage();
		return (message != null) ? message : error.getClass().getSimpleName();
	}

	/** Creates state for nodes never seen and, with a prober, probes them, so calls can prefer nodes known to answer. */
	private void probeUnknown(ServiceState state, List<Node> candidates) {
		if (this.prober == null) {
			return;
		}
		for (Node node : candidates) {
			if (!state.nodes.containsKey(node.id())) {
				NodeState nodeState = state.node(node.id());
				scheduleProbe(state, node, nodeState, 0);
			}
		}
	}

	private void scheduleProbe(ServiceState state, Node node, NodeState nodeState, long delayNanos) {
		ScheduledExecutorService scheduler = this.probeScheduler;
		if (scheduler == null || !nodeState.startProbe()) {
			return;
		}
		Runnable enqueue = () -> {
			this.probeQueue.add(() -> probe(state, node, nodeState));
			drainProbes();
		};
		try {
			if (delayNanos <= 0) {
				enqueue.run();
			}
			else {
				scheduler.schedule(enqueue, delayNanos, TimeUnit.NANOSECONDS);
			}
		}
		catch (RejectedExecutionException ex) {
			nodeState.endProbe();
		}
	}

	/** Starts queued probes while fewer than {@value #MAX_PROBES_IN_FLIGHT} are in flight. */
	private void drainProbes() {
		while (true) {
			int inFlight = this.probesInFlight.get();
			if (inFlight >= MAX_PROBES_IN_FLIGHT) {
				return;
			}
			Runnable next = this.probeQueue.poll();
			if (next == null) {
				return;
			}
			if (this.probesInFlight.compareAndSet(inFlight, inFlight + 1)) {
				next.run();
			}
			else {
				this.probeQueue.add(next);
			}
		}
	}

	private void probe(ServiceState state, Node node, NodeState nodeState) {
		NodeProber p = Objects.requireNonNull(this.prober);
		CompletableFuture<Boolean> result;
		try {
			result = p.probe(node);
		}
		catch (RuntimeException ex) {
			result = CompletableFuture.completedFuture(false);
		}
		result.whenComplete((ok, error) -> {
			this.probesInFlight.decrementAndGet();
			nodeState.endProbe();
			boolean alive = error == null && Boolean.TRUE.equals(ok);
			if (state.nodes.get(node.id()) != nodeState || this.services.get(state.service) != state) {
				drainProbes();
				return;
			}
			if (alive) {
				if (nodeState.probeSucceeded()) {
					logger.info("Node {} ({}) of service {} accepts connections again", node.id(), node.address(),
							state.service);
				}
			}
			else {
				long delay = nodeState.probeFailed(this.probeIntervalNanos, this.ejectionMaxNanos);
				scheduleProbe(state, node, nodeState, delay);
			}
			drainProbes();
		});
	}

	private static String describe(FailureKind kind, int threshold) {
		String what = switch (kind) {
			case NOT_PROCESSED -> "connection failure";
			case TIMED_OUT -> "timeout";
			case FAILED_AFTER_PROCESSING -> "server error";
			case CALLER_ERROR -> "caller error";
		};
		return threshold + " consecutive " + what + ((threshold == 1) ? "" : "s");
	}

	@Override
	public void reset(String service) {
		this.services.remove(service);
	}

	/** Forgets all per-service state; the selector keeps working afterwards. Idempotent. */
	@Override
	public void close() {
		this.services.clear();
	}

	/** The in-flight count of {@code node} of {@code service}; for tests. */
	int inFlight(String service, String nodeId) {
		ServiceState state = this.services.get(service);
		NodeState nodeState = (state != null) ? state.nodes.get(nodeId) : null;
		return (nodeState != null) ? nodeState.inFlight() : 0;
	}

	/** The number of nodes with state for {@code service}; for tests. */
	int trackedNodes(String service) {
		ServiceState state = this.services.get(service);
		return (state != null) ? state.nodes.size() : 0;
	}

	/** What the selector remembers about one service: its choosers and its nodes. */
	private static final class ServiceState {

		private final String service;

		private final Map<String, NodeState> nodes = new ConcurrentHashMap<>();

		private final Map<SelectionStrategy, SelectionStrategy.NodeChooser> choosers = new ConcurrentHashMap<>();

		/** The nodes the registry listed at the last selection. */
		private volatile int nodeCount;

		/** The registry's list the candidates were last computed from (compared by identity) and those candidates. */
		private volatile @Nullable Memo memo;

		@Nullable List<Node> candidates(List<Service> versions) {
			Memo m = this.memo;
			return (m != null && m.versions == versions) ? m.candidates : null;
		}

		void remember(List<Service> versions, List<Node> candidates) {
			this.memo = new Memo(versions, candidates);
		}

		ServiceState(String service) {
			this.service = service;
		}

		SelectionStrategy.NodeChooser chooser(SelectionStrategy strategy) {
			SelectionStrategy.NodeChooser chooser = this.choosers.get(strategy);
			if (chooser != null) {
				return chooser;
			}
			if (this.choosers.size() >= MAX_OVERRIDE_CHOOSERS) {
				// strategies created per call would otherwise pile up; such strategies cannot keep state anyway
				return strategy.newChooser(this.service);
			}
			return this.choosers.computeIfAbsent(strategy, s -> s.newChooser(this.service));
		}

		NodeState node(String nodeId) {
			return this.nodes.computeIfAbsent(nodeId, id -> new NodeState());
		}

		int inFlight(Node node) {
			NodeState state = this.nodes.get(node.id());
			return (state != null) ? state.inFlight() : 0;
		}

		int ejectedCount(long now) {
			int count = 0;
			for (NodeState node : this.nodes.values()) {
				if (node.isEjected(now)) {
					count++;
				}
			}
			return count;
		}

		/** Drops the state of nodes the registry no longer lists, and counts them. */
		void prune(List<Service> versions) {
			if (this.nodes.isEmpty()) {
				int count = 0;
				for (Service version : versions) {
					count += version.nodes().size();
				}
				this.nodeCount = count;
				return;
			}
			Set<String> present = new HashSet<>();
			for (Service version : versions) {
				for (Node node : version.nodes()) {
					present.add(node.id());
				}
			}
			this.nodeCount = present.size();
			this.nodes.keySet().retainAll(present);
		}

	}

	private record Memo(List<Service> versions, List<Node> candidates) {
	}

	/** Health and load of one node. */
	static final class NodeState {

		private final AtomicInteger inFlight = new AtomicInteger();

		private final int[] consecutive = new int[FailureKind.values().length];

		private int ejections;

		private volatile boolean ejected;

		private volatile long ejectedUntil;

		static final int UNKNOWN = 0;

		static final int HEALTHY = 1;

		static final int DEAD = 2;

		/** {@link #UNKNOWN}, {@link #HEALTHY} (seen answering), or {@link #DEAD} until a probe connects. */
		private volatile int health;

		/** Whether the node ever answered a call or a probe. */
		private volatile boolean everHealthy;

		private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();

		private long probeDelayNanos;

		boolean isDead() {
			return this.health == DEAD;
		}

		boolean isKnownHealthy() {
			return this.health == HEALTHY;
		}

		/** Marks the node unreachable; returns its health before. */
		synchronized int markDead() {
			int previous = this.health;
			this.health = DEAD;
			return previous;
		}

		boolean startProbe() {
			return this.probing.compareAndSet(false, true);
		}

		void endProbe() {
			this.probing.set(false);
		}

		/** A probe connected; {@code true} when the node had answered before, then became unreachable. */
		synchronized boolean probeSucceeded() {
			boolean back = this.health == DEAD && this.everHealthy;
			this.health = HEALTHY;
			this.everHealthy = true;
			this.probeDelayNanos = 0;
			return back;
		}

		/** A probe failed: the node is unreachable; returns the delay before the next probe. */
		synchronized long probeFailed(long intervalNanos, long maxNanos) {
			this.health = DEAD;
			return nextProbeDelay(intervalNanos, maxNanos);
		}

		/**
		 * The wait before the next probe of an unreachable node: from {@code intervalNanos} doubling up to
		 * {@code maxNanos} for a node that answered before (it may come back soon), {@code maxNanos} at once for one
		 * never seen answering (most likely a stale record); with ±20 % jitter, so probes of many nodes spread out.
		 */
		synchronized long nextProbeDelay(long intervalNanos, long maxNanos) {
			long delay;
			if (!this.everHealthy) {
				delay = Math.max(intervalNanos, maxNanos);
			}
			else {
				delay = (this.probeDelayNanos == 0) ? intervalNanos
						: Math.min(maxNanos, Math.max(intervalNanos, this.probeDelayNanos * 2));
			}
			this.probeDelayNanos = delay;
			double jitter = 0.8 + 0.4 * java.util.concurrent.ThreadLocalRandom.current().nextDouble();
			return (long) (delay * jitter);
		}

		int inFlight() {
			return this.inFlight.get();
		}

		void startCall() {
			this.inFlight.incrementAndGet();
		}

		void endCall() {
			this.inFlight.getAndUpdate(n -> (n > 0) ? n - 1 : 0);
		}

		boolean isEjected(long now) {
			return this.ejected && now - this.ejectedUntil < 0;
		}

		synchronized int ejections() {
			return this.ejections;
		}

		/**
		 * Records a failure of {@code kind}; {@code true} when it ejects the node: {@code threshold} consecutive
		 * failures of that kind, or any failure while on probation after an ejection (not while still ejected).
		 */
		synchronized boolean fail(FailureKind kind, int threshold, long now) {
			if (isEjected(now)) {
				return false;
			}
			int count = ++this.consecutive[kind.ordinal()];
			boolean probation = this.ejections > 0;
			return probation || threshold > 0 && count >= threshold;
		}

		/** Ejects the node; returns the period in nanoseconds. */
		synchronized long eject(long now, long baseNanos, long maxNanos) {
			if (this.ejections < Integer.MAX_VALUE) {
				this.ejections++;
			}
			java.util.Arrays.fill(this.consecutive, 0);
			int shift = Math.min(this.ejections - 1, 62);
			long period = (baseNanos > (maxNanos >> shift)) ? maxNanos : Math.min(baseNanos << shift, maxNanos);
			this.ejectedUntil = now + period;
			this.ejected = true;
			return period;
		}

		synchronized void succeed() {
			this.health = HEALTHY;
			this.everHealthy = true;
			if (this.ejections == 0 && !this.ejected && this.consecutive[0] == 0 && this.consecutive[1] == 0
					&& this.consecutive[2] == 0) {
				return;
			}
			java.util.Arrays.fill(this.consecutive, 0);
			this.ejections = 0;
			this.ejected = false;
		}

	}

	/** The nodes of one selection, handed out one per attempt. */
	private final class SelectionNext implements Next {

		private final ServiceState state;

		private final SelectionStrategy.NodeChooser chooser;

		private final List<Node> candidates;

		private final Set<String> handedOut = new HashSet<>();

		SelectionNext(ServiceState state, SelectionStrategy.NodeChooser chooser, List<Node> candidates) {
			this.state = state;
			this.chooser = chooser;
			this.candidates = candidates;
		}

		@Override
		public synchronized Node next() {
			List<Node> eligible = healthy(DefaultSelector.this.nanoTime.getAsLong());
			if (!this.handedOut.isEmpty()) {
				List<Node> untried = new ArrayList<>(eligible.size());
				for (Node node : eligible) {
					if (!this.handedOut.contains(node.id())) {
						untried.add(node);
					}
				}
				if (!untried.isEmpty()) {
					eligible = untried;
				}
			}
			int limit = DefaultSelector.this.maxInFlightPerNode;
			if (limit > 0) {
				eligible = belowLimit(eligible, limit);
			}
			Node node = this.chooser.choose(eligible, this.state::inFlight);
			if (node == null) {
				throw new NoneAvailableException(this.state.service);
			}
			this.state.node(node.id()).startCall();
			this.handedOut.add(node.id());
			return node;
		}

		/** The nodes with fewer than {@code limit} calls in flight. */
		private List<Node> belowLimit(List<Node> nodes, int limit) {
			List<Node> below = null;
			for (int i = 0; i < nodes.size(); i++) {
				Node node = nodes.get(i);
				boolean busy = this.state.inFlight(node) >= limit;
				if (busy && below == null) {
					below = new ArrayList<>(nodes.subList(0, i));
				}
				else if (!busy && below != null) {
					below.add(node);
				}
			}
			if (below == null) {
				return nodes;
			}
			if (below.isEmpty()) {
				throw new NodesBusyException(this.state.service, nodes.size(), limit);
			}
			return below;
		}

		/**
		 * The candidates neither unreachable nor ejected at {@code now}; with a prober, those known to answer when
		 * there are any. When none is left: the reachable ones, else all (panic mode).
		 */
		private List<Node> healthy(long now) {
			boolean prefer = DefaultSelector.this.prober != null;
			int size = this.candidates.size();
			int excluded = 0;
			int known = 0;
			int dead = 0;
			// first count, so the common case (every node fine) allocates nothing
			for (int i = 0; i < size; i++) {
				NodeState nodeState = this.state.nodes.get(this.candidates.get(i).id());
				if (nodeState == null) {
					continue;
				}
				if (nodeState.isDead()) {
					dead++;
					excluded++;
				}
				else if (nodeState.isEjected(now)) {
					excluded++;
				}
				else if (nodeState.isKnownHealthy()) {
					known++;
				}
			}
			int eligible = size - excluded;
			boolean onlyKnown = prefer && known > 0 && known < eligible;
			if (excluded == 0 && !onlyKnown) {
				return this.candidates;
			}
			if (eligible > 0) {
				List<Node> result = new ArrayList<>(onlyKnown ? known : eligible);
				for (int i = 0; i < size; i++) {
					Node node = this.candidates.get(i);
					NodeState nodeState = this.state.nodes.get(node.id());
					boolean ok = nodeState == null || !nodeState.isDead() && !nodeState.isEjected(now);
					if (ok && (!onlyKnown || nodeState != null && nodeState.isKnownHealthy())) {
						result.add(node);
					}
				}
				return result;
			}
			logger.debug("All {} nodes of service {} are unreachable or ejected; choosing among all of them", size,
					this.state.service);
			if (dead < size) {
				List<Node> reachable = new ArrayList<>(size - dead);
				for (Node node : this.candidates) {
					NodeState nodeState = this.state.nodes.get(node.id());
					if (nodeState == null || !nodeState.isDead()) {
						reachable.add(node);
					}
				}
				return reachable;
			}
			return this.candidates;
		}

		@Override
		public synchronized boolean hasUntried() {
			for (Node node : healthy(DefaultSelector.this.nanoTime.getAsLong())) {
				if (!this.handedOut.contains(node.id())) {
					return true;
				}
			}
			return false;
		}

	}

	/** Builds a {@link DefaultSelector}. */
	public static final class Builder {

		private final Registry registry;

		private SelectionStrategy strategy = SelectionStrategy.random();

		private Duration ejectionBase = Duration.ofMillis(DEFAULT_EJECTION_BASE_MILLIS);

		private Duration ejectionMax = Duration.ofMillis(DEFAULT_EJECTION_MAX_MILLIS);

		private LongSupplier nanoTime = System::nanoTime;

		private int consecutiveNotProcessed = DEFAULT_CONSECUTIVE_NOT_PROCESSED;

		private int consecutiveTimeouts = DEFAULT_CONSECUTIVE_TIMEOUTS;

		private int consecutiveErrors = DEFAULT_CONSECUTIVE_ERRORS;

		private int maxEjectionPercent = DEFAULT_MAX_EJECTION_PERCENT;

		private int maxInFlightPerNode = DEFAULT_MAX_IN_FLIGHT_PER_NODE;

		private @Nullable NodeProber prober;

		private @Nullable ScheduledExecutorService probeScheduler;

		private Duration probeInterval = Duration.ofMillis(DEFAULT_PROBE_INTERVAL_MILLIS);

		private Builder(Registry registry) {
			this.registry = Objects.requireNonNull(registry, "registry");
		}

		/** The strategy, random by default (go-micro's default). */
		public Builder strategy(SelectionStrategy strategy) {
			this.strategy = Objects.requireNonNull(strategy, "strategy");
			return this;
		}

		/**
		 * First ejection period of a node that refused a connection, {@value #DEFAULT_EJECTION_BASE_MILLIS} ms by
		 * default; doubles per consecutive failure.
		 * @throws IllegalArgumentException if negative
		 */
		public Builder ejectionBase(Duration base) {
			Arguments.nonNegative("ejectionBase", base);
			this.ejectionBase = base;
			return this;
		}

		/**
		 * Upper bound of the ejection period, {@value #DEFAULT_EJECTION_MAX_MILLIS} ms by default.
		 * @throws IllegalArgumentException if negative
		 */
		public Builder ejectionMax(Duration max) {
			Arguments.nonNegative("ejectionMax", max);
			this.ejectionMax = max;
			return this;
		}

		/**
		 * Consecutive failures that never reached the node (refused connection...) that eject it,
		 * {@value #DEFAULT_CONSECUTIVE_NOT_PROCESSED} by default; 0 never ejects for them.
		 */
		public Builder consecutiveNotProcessed(int count) {
			this.consecutiveNotProcessed = Arguments.nonNegative("consecutiveNotProcessed", count);
			return this;
		}

		/** Consecutive timeouts that eject a node, {@value #DEFAULT_CONSECUTIVE_TIMEOUTS} by default; 0 never. */
		public Builder consecutiveTimeouts(int count) {
			this.consecutiveTimeouts = Arguments.nonNegative("consecutiveTimeouts", count);
			return this;
		}

		/** Consecutive 5xx answers that eject a node, {@value #DEFAULT_CONSECUTIVE_ERRORS} by default; 0 never. */
		public Builder consecutiveErrors(int count) {
			this.consecutiveErrors = Arguments.nonNegative("consecutiveErrors", count);
			return this;
		}

		/**
		 * The largest share of a service's nodes ejected at once, in percent, {@value #DEFAULT_MAX_EJECTION_PERCENT}
		 * by default; one node may always be ejected.
		 */
		public Builder maxEjectionPercent(int percent) {
			if (percent < 0 || percent > 100) {
				throw new IllegalArgumentException("maxEjectionPercent: " + percent + " (expected: 0..100)");
			}
			this.maxEjectionPercent = percent;
			return this;
		}

		/**
		 * The most calls in flight to one node from this selector's callers, {@value #DEFAULT_MAX_IN_FLIGHT_PER_NODE}
		 * by default; a node at the limit is passed over, and when every node is, the call fails at once with
		 * {@link NodesBusyException}. 0 sets no limit.
		 */
		public Builder maxInFlightPerNode(int max) {
			this.maxInFlightPerNode = Arguments.nonNegative("maxInFlightPerNode", max);
			return this;
		}

		/**
		 * Turns on active health checking: {@code prober} checks nodes never seen before and nodes that refused or
		 * reset a connection, on {@code scheduler} (which the selector does not shut down). Calls then prefer nodes
		 * known to answer, and an unreachable node gets no call until a probe connects (re-probed after
		 * {@code probeInterval}, doubling up to {@code ejectionMax}). Without a prober, unreachable nodes are ejected
		 * for a time, like other failing nodes.
		 */
		public Builder prober(@Nullable NodeProber prober, @Nullable ScheduledExecutorService scheduler) {
			if ((prober == null) != (scheduler == null)) {
				throw new IllegalArgumentException("prober and scheduler: give both or neither");
			}
			this.prober = prober;
			this.probeScheduler = scheduler;
			return this;
		}

		/** The first wait before re-probing an unreachable node, {@value #DEFAULT_PROBE_INTERVAL_MILLIS} ms by default. */
		public Builder probeInterval(Duration interval) {
			this.probeInterval = Arguments.positive("probeInterval", interval);
			return this;
		}

		/** The time source of ejections, {@link System#nanoTime()} by default; for tests. */
		Builder nanoTime(LongSupplier nanoTime) {
			this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
			return this;
		}

		/**
		 * The selector.
		 * @throws IllegalArgumentException if {@code ejectionMax} is shorter than {@code ejectionBase}
		 */
		public DefaultSelector build() {
			if (this.ejectionMax.compareTo(this.ejectionBase) < 0) {
				throw new IllegalArgumentException(
						"ejectionMax: " + this.ejectionMax + " (expected: >= ejectionBase " + this.ejectionBase + ")");
			}
			return new DefaultSelector(this);
		}

	}

}
