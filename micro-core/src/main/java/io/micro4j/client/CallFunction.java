package io.micro4j.client;

import java.util.concurrent.CompletableFuture;

import io.micro4j.registry.Node;

/**
 * One attempt of a call against one node: go-micro's {@code CallFunc}. The future may complete on an I/O thread.
 */
@FunctionalInterface
public interface CallFunction {

	CompletableFuture<Response> call(Node node, Request request, CallOptions options);

}
