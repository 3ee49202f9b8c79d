package io.micro4j.selector;

import io.micro4j.registry.Node;

/**
 * Hands out nodes for the attempts of one call, according to the selector's strategy.
 */
@FunctionalInterface
public interface Next {

	/**
	 * The node for the next attempt.
	 * @throws NoneAvailableException if no node can be chosen
	 */
	Node next();

	/**
	 * Whether a node not yet handed out by this selection could still be chosen; the retry stage stops retrying
	 * failures that never reached a node once every node was tried. {@code true} by default.
	 */
	default boolean hasUntried() {
		return true;
	}

}
