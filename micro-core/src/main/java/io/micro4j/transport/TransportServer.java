package io.micro4j.transport;

import java.net.InetSocketAddress;
import java.time.Duration;

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

	@Override
	default void close() {
		stop(Duration.ZERO);
	}

}
