package io.micro4j.selector;

import io.micro4j.registry.Node;
import org.jspecify.annotations.Nullable;

/**
 * Picks the node a call goes to: go-micro's {@code selector.Selector}, with working round robin and outlier
 * ejection.
 * <p>
 * Every node handed out by a {@link Next} must be reported back through {@link #mark} when the attempt ends
 * (success or failure): least-request counts in-flight calls with it, and a connection failure ejects the node for a
 * back-off period.
 */
public interface Selector extends AutoCloseable {

	/**
	 * Starts a selection over the current nodes of {@code service}.
	 * @return a {@link Next} over a snapshot of the healthy nodes that pass the filters
	 * @throws ServiceNotFoundException if the registry knows no such service
	 * @throws NoneAvailableException if no node is left after the filters
	 */
	Next select(String service, SelectOptions options);

	/** Starts a selection with default options. */
	default Next select(String service) {
		return select(service, SelectOptions.defaults());
	}

	/**
	 * Reports how an attempt on {@code node} ended: {@code error} is {@code null} on success.
	 */
	void mark(String service, Node node, @Nullable Throwable error);

	/** Forgets per-node state (ejections, counters) of {@code service}. */
	void reset(String service);

	@Override
	void close();

}
