package io.micro4j.selector;

import java.util.concurrent.CompletableFuture;

import io.micro4j.registry.Node;

/**
 * Checks, off the call path, whether a node accepts connections: the selector's active health check for nodes it
 * has not seen answer yet and for nodes that refused or reset a connection. {@code HttpTransportClient::probe} is
 * one (a TCP connect, closed at once).
 */
@FunctionalInterface
public interface NodeProber {

	/**
	 * Probes {@code node}.
	 * @return a future completing with {@code true} when a connection could be made, {@code false} otherwise; it must
	 * complete (a prober bounds its own time) and must not block the caller
	 */
	CompletableFuture<Boolean> probe(Node node);

}
