package io.micro4j.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.micro4j.metadata.Deadline;
import io.micro4j.registry.Node;
import org.jspecify.annotations.Nullable;

/**
 * Sends requests to a node address. Implementations pool connections per address and are thread-safe.
 */
public interface TransportClient extends AutoCloseable {

	/**
	 * Sends {@code request} to {@code address} ({@code host:port}).
	 * <p>
	 * The future completes (possibly on an I/O thread: do not block in callbacks) with the response, or
	 * exceptionally with a {@link ConnectFailedException} when no connection could be made (the request never
	 * reached a server, so it is safe to retry elsewhere), an {@link io.micro4j.errors.MicroException} with code 408
	 * when {@code timeout} passed first, or another {@link io.micro4j.errors.MicroException} (500) for an I/O
	 * failure after the request was sent.
	 */
	CompletableFuture<TransportResponse> send(String address, TransportRequest request, Duration timeout);

	/** Whether this transport carries streams ({@link #openStream}); the mucp HTTP transport does not. */
	default boolean supportsStreams() {
		return false;
	}

	/**
	 * Opens a stream to {@code address}: {@code head} carries the headers ({@code Micro-Service},
	 * {@code Micro-Endpoint}, {@code Content-Type}, metadata; its body is empty). The future completes, possibly on
	 * an I/O thread, once the stream is open, or fails as {@link #send} fails (a {@link ConnectFailedException} when
	 * nothing reached a server).
	 * @param openTimeout the bound of opening
	 * @param deadline the stream's whole life, sent to the server; {@code null} for none
	 */
	default CompletableFuture<TransportStream> openStream(String address, TransportRequest head, Duration openTimeout,
			@Nullable Deadline deadline) {
		return CompletableFuture
			.failedFuture(new UnsupportedOperationException(getClass().getSimpleName() + " carries no streams"));
	}

	/**
	 * Sends {@code request} to {@code node}, as {@link #send(String, TransportRequest, Duration)} to its address; a
	 * transport that reads node metadata (such as {@code secure=true}, dial with TLS) overrides this.
	 */
	default CompletableFuture<TransportResponse> send(Node node, TransportRequest request, Duration timeout) {
		return send(node.address(), request, timeout);
	}

	/**
	 * Opens a stream to {@code node}, as {@link #openStream(String, TransportRequest, Duration, Deadline)} to its
	 * address; a transport that reads node metadata (such as {@code secure=true}, dial with TLS) overrides this.
	 */
	default CompletableFuture<TransportStream> openStream(Node node, TransportRequest head, Duration openTimeout,
			@Nullable Deadline deadline) {
		return openStream(node.address(), head, openTimeout, deadline);
	}

	@Override
	void close();

}
