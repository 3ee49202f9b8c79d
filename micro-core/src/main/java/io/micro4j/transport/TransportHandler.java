package io.micro4j.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Serves requests arriving at a {@link TransportServer}. Called on an I/O thread: implementations must hand work
 * that may block to their own executor and complete the returned future from there.
 */
@FunctionalInterface
public interface TransportHandler {

	/**
	 * @param request the request
	 * @param local the server address the request arrived on
	 * @param remote the client's address
	 * @return the response to write; an exceptional completion closes the connection after a 500
	 */
	CompletableFuture<TransportResponse> handle(TransportRequest request, InetSocketAddress local,
			InetSocketAddress remote);

	/**
	 * Whether {@code endpoint} ({@code Handler.Method}) is a streaming endpoint, served by
	 * {@link #handleStream}; transports that carry streams ask before they read the first message.
	 */
	default boolean isStream(String endpoint) {
		return false;
	}

	/**
	 * Serves a stream: {@code head} carries the headers (its body is empty), {@code stream} the messages both ways.
	 * The future completes when the handler is done: a 200 answer without body ends the stream normally, an answer
	 * with {@code Micro-Error} ends it with that error. Transports without streams never call it.
	 */
	default CompletableFuture<TransportResponse> handleStream(TransportRequest head, TransportStream stream,
			InetSocketAddress local, InetSocketAddress remote) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this handler serves no streams"));
	}

}
