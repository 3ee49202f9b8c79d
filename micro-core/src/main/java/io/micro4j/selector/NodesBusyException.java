package io.micro4j.selector;

import io.micro4j.errors.UnprocessedRequestException;

/**
 * Every candidate node of a service already has the client's limit of calls in flight
 * ({@link DefaultSelector.Builder#maxInFlightPerNode(int)}): the call was not sent. go-micro error 503, id
 * {@code go.micro.client}; not retried (another attempt would find the same nodes busy).
 */
public class NodesBusyException extends UnprocessedRequestException {

	private static final long serialVersionUID = 1L;

	public NodesBusyException(String service, int nodes, int limit) {
		super("go.micro.client", 503, "service " + service + ": all " + nodes + " nodes have " + limit
				+ " calls in flight (client limit per node)", null);
	}

}
