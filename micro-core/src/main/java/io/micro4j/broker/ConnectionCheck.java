package io.micro4j.broker;

/**
 * An optional ability of a {@link Broker} that holds a connection to a broker server: a cheap look at whether that
 * connection is up, for health checks. It reads the client's state and does no network I/O, so it never blocks.
 * <p>
 * A broker without this interface has no connection to watch (the memory and http brokers) or none it can report
 * cheaply.
 */
@FunctionalInterface
public interface ConnectionCheck {

	/**
	 * Whether the connection to the broker server is up now.
	 * @return {@code false} while the client reconnects, and after the broker is closed
	 */
	boolean isConnected();

}
