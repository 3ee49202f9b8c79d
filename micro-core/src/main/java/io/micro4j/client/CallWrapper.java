package io.micro4j.client;

/**
 * Decorates each attempt of a call (go-micro's {@code CallWrapper}): runs per attempt and per node, so it sees the
 * chosen node. In a list of wrappers the first is outermost.
 */
@FunctionalInterface
public interface CallWrapper {

	CallFunction wrap(CallFunction next);

}
