package io.micro4j.selector;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

import io.micro4j.registry.Node;

/**
 * The built-in strategies behind {@link SelectionStrategy#random()}, {@link SelectionStrategy#roundRobin()} and
 * {@link SelectionStrategy#leastRequest()}. Each is stateless; the choosers they create hold the per-service state.
 */
final class Strategies {

	static final SelectionStrategy RANDOM = new Named("random", service -> Strategies::chooseRandom);

	static final SelectionStrategy ROUND_ROBIN = new Named("round-robin", service -> new RoundRobin());

	static final SelectionStrategy LEAST_REQUEST = new Named("least-request", service -> Strategies::chooseLeastRequest);

	private Strategies() {
	}

	private static Node chooseRandom(List<Node> candidates, ToIntFunction<Node> inFlight) {
		return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
	}

	/**
	 * The power of two choices: two distinct random candidates, the one with fewer calls in flight wins (the first
	 * drawn on a tie). With two candidates that is always the less loaded one, and a node busier than all others is
	 * never chosen.
	 */
	private static Node chooseLeastRequest(List<Node> candidates, ToIntFunction<Node> inFlight) {
		int size = candidates.size();
		if (size == 1) {
			return candidates.get(0);
		}
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int first = random.nextInt(size);
		int second = random.nextInt(size - 1);
		if (second >= first) {
			second++;
		}
		Node a = candidates.get(first);
		Node b = candidates.get(second);
		return (inFlight.applyAsInt(b) < inFlight.applyAsInt(a)) ? b : a;
	}

	/**
	 * Round robin across calls: one counter per service, each choice takes the candidate at
	 * {@code counter++ mod candidates}. The counter starts at a random value so that many clients do not all start
	 * on the same node.
	 */
	private static final class RoundRobin implements SelectionStrategy.NodeChooser {

		private final AtomicLong counter = new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 16));

		@Override
		public Node choose(List<Node> candidates, ToIntFunction<Node> inFlight) {
			return candidates.get((int) Math.floorMod(this.counter.getAndIncrement(), (long) candidates.size()));
		}

	}

	/** A strategy with a name for logs and {@code toString()}. */
	private record Named(String name, SelectionStrategy factory) implements SelectionStrategy {

		Named {
			Objects.requireNonNull(name, "name");
			Objects.requireNonNull(factory, "factory");
		}

		@Override
		public NodeChooser newChooser(String service) {
			return this.factory.newChooser(service);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
