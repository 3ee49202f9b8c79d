package io.micro4j.spring.boot.autoconfigure.server;

import java.time.Duration;

import io.micro4j.transport.http.ConnectionLimits;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The limits a server puts on its connections, bound under {@code micro.server.transport.*} for the mucp port and
 * {@code micro.broker.http.listener.*} for the http broker's listener; see {@link ConnectionLimits}. The defaults are
 * {@link ConnectionLimits#defaults()}, written out as literals so that the metadata shows them.
 */
public class ConnectionLimitsProperties {

	/**
	 * How long a client has to send a request's headers, counted from accepting the connection or from the first
	 * byte of a further request; then the connection is closed. Zero for no limit.
	 */
	private Duration readHeaderTimeout = Duration.ofSeconds(10);

	/**
	 * The longest gap between two reads of a request body; then the request is answered with a 408 error and the
	 * connection closed. Zero for no limit.
	 */
	private Duration readTimeout = Duration.ofSeconds(10);

	/**
	 * How long a kept-alive connection may wait for its next request before it is closed; keep it longer than the
	 * clients' pool TTL (micro.client.pool-ttl, 1 minute). Zero for no limit.
	 */
	private Duration idleTimeout = Duration.ofSeconds(90);

	/**
	 * The most connections held at once, and never more than half the process's open-file limit; beyond it each new
	 * connection closes the longest-idle one, or is closed when none is idle.
	 */
	private int maxConnections = 10_000;

	public Duration getReadHeaderTimeout() {
		return this.readHeaderTimeout;
	}

	public void setReadHeaderTimeout(Duration readHeaderTimeout) {
		this.readHeaderTimeout = readHeaderTimeout;
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	/**
	 * These settings as {@link ConnectionLimits}.
	 * @param prefix where they are bound, such as {@code micro.server.transport.}, to name a wrong value
	 * @throws InvalidConfigurationPropertyValueException when a timeout is negative or maxConnections not positive
	 */
	public ConnectionLimits toConnectionLimits(String prefix) {
		check(prefix + "read-header-timeout", this.readHeaderTimeout, !this.readHeaderTimeout.isNegative(), ">= 0");
		check(prefix + "read-timeout", this.readTimeout, !this.readTimeout.isNegative(), ">= 0");
		check(prefix + "idle-timeout", this.idleTimeout, !this.idleTimeout.isNegative(), ">= 0");
		check(prefix + "max-connections", this.maxConnections, this.maxConnections > 0, "> 0");
		return new ConnectionLimits(this.readHeaderTimeout, this.readTimeout, this.idleTimeout, this.maxConnections);
	}

	private static void check(String property, Object value, boolean valid, String expected) {
		if (!valid) {
			throw new InvalidConfigurationPropertyValueException(property, value, "expected: " + expected);
		}
	}

}
