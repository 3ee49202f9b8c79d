package io.micro4j.selector;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The built-in strategies. (Placeholder implementations; see issue work.)
 */
final class Strategies {

	static final SelectionStrategy RANDOM = service -> (nodes, inFlight) -> nodes
		.get(ThreadLocalRandom.current().nextInt(nodes.size()));

	static final SelectionStrategy ROUND_ROBIN = RANDOM;

	static final SelectionStrategy LEAST_REQUEST = RANDOM;

	private Strategies() {
	}

}
