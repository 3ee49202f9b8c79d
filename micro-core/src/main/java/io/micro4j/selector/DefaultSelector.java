package io.micro4j.selector;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.micro4j.internal.Arguments;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.Service;
import io.micro4j.transport.ConnectFailedException;
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
 * {@link #mark} must be called once for every node handed out. It ends the in-flight count that least request uses;
 * a connection failure ({@link ConnectFailedException}, or a {@link ConnectException} or
 * {@link NoRouteToHostException} in the cause chain) ejects the node for {@code ejectionBase × 2^(n−1)}, capped at
 * {@code ejectionMax}, where {@code n} counts the node's consecutive connection failures; a success ends the
 * ejection and resets the count. Other errors change nothing.
 * <p>
 * Per-node state is kept only for nodes the registry still lists: it is pruned at every selection. The selector owns
 * no thread or connection; {@link #close()} only forgets the state.
 */
public final class DefaultSelector implements Selector {

	/** Default first ejection period, in milliseconds. */
	public static final long DEFAULT_EJECTION_BASE_MILLIS = 1000;

	/** Default longest ejection period, in milliseconds. */
	public static final long DEFAULT_EJECTION_MAX_MILLIS = 30_000;

	/** Choosers of strategies passed per selection kept per service; beyond that they are created anew. */
	private static final int MAX_OVERRIDE_CHOOSERS = 8;

	private static final Logger logger = LoggerFactory.getLogger(DefaultSelector.class);

	private final Registry registry;

	private final SelectionStrategy strategy;

	private final long ejectionBaseNanos;

	private final long ejectionMaxNanos;

	private final LongSupplier nanoTime;

	private final Map<String, ServiceState> services = new ConcurrentHashMap<>();

	private DefaultSelector(Builder builder) {
		this.registry = builder.registry;
		this.strategy = builder.strategy;
		this.ejectionBaseNanos = builder.ejectionBase.toNanos();
		this.ejectionMaxNanos = builder.ejectionMax.toNanos();
		this.nanoTime = builder.nanoTime;
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
		state.prune(versions);
		List<Service> filtered = versions;
		for (ServiceFilter filter : options.filters()) {
			List<Service> result = filter.apply(filtered);
			filtered = (result != null) ? result : List.of();
		}
		TreeMap<String, Node> byId = new TreeMap<>();
		for (Service version : filtered) {
			for (Node node : version.nodes()) {
				byId.putIfAbsent(node.id(), node);
			}
		}
		if (byId.isEmpty()) {
			throw new NoneAvailableException(service);
		}
		SelectionStrategy chosen = options.strategyOverride().orElse(this.strategy);
		return new SelectionNext(state, state.chooser(chosen), List.copyOf(byId.values()));
	}

	@Override
	public void mark(String service, Node node, @Nullable Throwable error) {
		ServiceState state = this.services.get(service);
		if (state == null) {
			return;
		}
		boolean connectFailure = error != null && isConnectFailure(error);
		NodeState nodeState = connectFailure ? state.node(node.id()) : state.nodes.get(node.id());
		if (nodeState == null) {
			return;
		}
		nodeState.endCall();
		if (connectFailure) {
			long period = nodeState.eject(this.nanoTime.getAsLong(), this.ejectionBaseNanos, this.ejectionMaxNanos);
			if (logger.isInfoEnabled()) {
				logger.info("Ejecting node {} ({}) of service {} for {} ms after {} consecutive connection failure(s)",
						node.id(), node.address(), service, period / 1_000_000, nodeState.failures());
			}
		}
		else if (error == null) {
			nodeState.succeed();
		}
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

	/** Whether {@code error} says that no connection to the node could be made. */
	static boolean isConnectFailure(Throwable error) {
		Throwable current = error;
		for (int depth = 0; current != null && depth < 16; depth++) {
			if (current instanceof ConnectFailedException || current instanceof ConnectException
					|| current instanceof NoRouteToHostException) {
				return true;
			}
			current = current.getCause();
		}
		return false;
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

		/** Drops the state of nodes the registry no longer lists. */
		void prune(List<Service> versions) {
			if (this.nodes.isEmpty()) {
				return;
			}
			Set<String> present = new HashSet<>();
			for (Service version : versions) {
				for (Node node : version.nodes()) {
					present.add(node.id());
				}
			}
			this.nodes.keySet().retainAll(present);
		}

	}

	/** Health and load of one node. */
	static final class NodeState {

		private final AtomicInteger inFlight = new AtomicInteger();

		private int failures;

		private volatile boolean ejected;

		private volatile long ejectedUntil;

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

		synchronized int failures() {
			return this.failures;
		}

		/** Records a connection failure; returns the ejection period in nanoseconds. */
		synchronized long eject(long now, long baseNanos, long maxNanos) {
			if (this.failures < Integer.MAX_VALUE) {
				this.failures++;
			}
			int shift = Math.min(this.failures - 1, 62);
			long period = (baseNanos > (maxNanos >> shift)) ? maxNanos : Math.min(baseNanos << shift, maxNanos);
			this.ejectedUntil = now + period;
			this.ejected = true;
			return period;
		}

		synchronized void succeed() {
			this.failures = 0;
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
			Node node = this.chooser.choose(eligible, this.state::inFlight);
			if (node == null) {
				throw new NoneAvailableException(this.state.service);
			}
			this.state.node(node.id()).startCall();
			this.handedOut.add(node.id());
			return node;
		}

		/** The candidates not ejected at {@code now}, or all of them when every one is ejected (panic mode). */
		private List<Node> healthy(long now) {
			List<Node> healthy = null;
			for (int i = 0; i < this.candidates.size(); i++) {
				Node node = this.candidates.get(i);
				NodeState nodeState = this.state.nodes.get(node.id());
				boolean ejected = nodeState != null && nodeState.isEjected(now);
				if (ejected && healthy == null) {
					healthy = new ArrayList<>(this.candidates.subList(0, i));
				}
				else if (!ejected && healthy != null) {
					healthy.add(node);
				}
			}
			if (healthy == null) {
				return this.candidates;
			}
			if (healthy.isEmpty()) {
				logger.debug("All {} nodes of service {} are ejected; choosing among all of them",
						this.candidates.size(), this.state.service);
				return this.candidates;
			}
			return healthy;
		}

	}

	/** Builds a {@link DefaultSelector}. */
	public static final class Builder {

		private final Registry registry;

		private SelectionStrategy strategy = SelectionStrategy.random();

		private Duration ejectionBase = Duration.ofMillis(DEFAULT_EJECTION_BASE_MILLIS);

		private Duration ejectionMax = Duration.ofMillis(DEFAULT_EJECTION_MAX_MILLIS);

		private LongSupplier nanoTime = System::nanoTime;

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
