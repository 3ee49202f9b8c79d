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

}
