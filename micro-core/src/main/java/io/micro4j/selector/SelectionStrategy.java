package io.micro4j.selector;

import java.util.List;

import io.micro4j.registry.Node;

/**
 * A stateless description of how to choose among nodes; it creates the stateful {@link NodeChooser} kept per
 * service by the selector (so round robin rotates across calls, not only across the retries of one call).
 */
@FunctionalInterface
public interface SelectionStrategy {

	/** A new chooser for one service. */
	NodeChooser newChooser(String service);

	/** Uniformly random; go-micro's default. */
	static SelectionStrategy random() {
		return Strategies.RANDOM;
	}

	/** Round robin across calls and retries. */
	static SelectionStrategy roundRobin() {
		return Strategies.ROUND_ROBIN;
	}

	/** Least request by the power of two choices: of two random nodes, the one with fewer calls in flight. */
	static SelectionStrategy leastRequest() {
		return Strategies.LEAST_REQUEST;
	}

	/**
	 * The strategy named {@code name}: {@code random}, {@code round-robin} (or {@code roundrobin}),
	 * {@code least-request} (or {@code leastrequest}).
	 * @throws IllegalArgumentException for any other name
	 */
	static SelectionStrategy of(String name) {
		return switch (name.trim().toLowerCase(java.util.Locale.ROOT).replace("_", "-")) {
			case "random" -> random();
			case "round-robin", "roundrobin" -> roundRobin();
			case "least-request", "leastrequest", "p2c" -> leastRequest();
			default -> throw new IllegalArgumentException(
					"strategy: " + name + " (expected: random, round-robin, least-request)");
		};
	}

	/**
	 * Chooses one node of a non-empty candidate list; state (a rotation counter) lives here.
	 */
	@FunctionalInterface
	interface NodeChooser {

		/**
		 * @param candidates the healthy nodes, never empty, in a stable order
		 * @param inFlight the calls currently in flight per node, as counted by the selector
		 */
		Node choose(List<Node> candidates, java.util.function.ToIntFunction<Node> inFlight);

	}

}
