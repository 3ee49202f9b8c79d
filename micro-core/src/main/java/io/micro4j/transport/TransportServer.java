package io.micro4j.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * Accepts connections and passes each request to a {@link TransportHandler}.
 */
public interface TransportServer extends AutoCloseable {

	/**
	 * Binds and starts accepting.
	 * @return the bound address (the real port when port 0 was asked for)
	 */
	InetSocketAddress start(TransportHandler handler);

	/**
	 * Stops accepting new connections and closes idle ones; requests in flight may finish within
	 * {@code gracePeriod}, after which remaining connections are closed.
	 */
	void stop(Duration gracePeriod);

	/**
	 * The node metadata this transport contributes to the server's registry record: go-micro's keys
	 * {@code protocol}, {@code server} and {@code transport}. mucp over HTTP by default.
	 */
	default Map<String, String> nodeMetadata() {
		return Map.of("protocol", "mucp", "server", "mucp", "transport", "http");
	}

	/**
	 * Endpoints this transport serves besides the server's handlers, added to the node's registry record: e.g. the
	 * protobuf services of a gRPC server the handlers share. Asked after {@link #start}; none by default.
	 */
	default java.util.List<io.micro4j.registry.Endpoint> endpoints() {
		return java.util.List.of();
	}

	@Override
	default void close() {
		stop(Duration.ZERO);
	}

}
