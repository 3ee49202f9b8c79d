package io.micro4j.transport.http;

import java.time.Duration;

import io.micro4j.internal.Arguments;

/**
 * How long a server waits for a client and how many clients it holds: the limits that keep slow, idle and
 * half-sent connections from piling up on an {@link HttpTransportServer} (and the http broker's listener):
 * <ul>
 * <li>{@code readHeaderTimeout}: from accepting a connection, or from the first byte of a further request on a
 * kept-alive one, until the request's headers are complete. A connection that runs out of it is closed (with a 408
 * micro error when part of a request had arrived).</li>
 * <li>{@code readTimeout}: the longest gap between two reads of a request body; then a 408 and the connection is
 * closed.</li>
 * <li>{@code idleTimeout}: how long a kept-alive connection may wait for its next request after a response; then it
 * is closed. Clients must give up idle connections earlier (the client pool's TTL, 1 minute by default, is shorter
 * than the default here), otherwise a request sent just as the server closes fails on the way.</li>
 * <li>{@code maxConnections}: how many connections the server holds; beyond it, each new connection closes the
 * longest-idle one (idle: no request being read or handled), or is closed itself when none is idle. The server
 * never holds more than half of the process's open-file limit, whatever is configured, so one port cannot take the
 * file descriptors the process's other ports need.</li>
 * </ul>
 * A connection whose request is being handled is never closed by these limits, however long the handler takes. A
 * zero timeout means no limit. Values are immutable; change them with the {@code withXxx} copies.
 * @param readHeaderTimeout the time to receive a request's headers, {@link #DEFAULT_READ_HEADER_TIMEOUT} by default
 * @param readTimeout the longest gap between body reads, {@link #DEFAULT_READ_TIMEOUT} by default
 * @param idleTimeout the keep-alive idle time, {@link #DEFAULT_IDLE_TIMEOUT} by default
 * @param maxConnections the connection limit, {@value #DEFAULT_MAX_CONNECTIONS} by default
 */
public record ConnectionLimits(Duration readHeaderTimeout, Duration readTimeout, Duration idleTimeout,
		int maxConnections) {

	/** Default time to receive a request's headers: 10 seconds. */
	public static final Duration DEFAULT_READ_HEADER_TIMEOUT = Duration.ofSeconds(10);

	/** Default longest gap between two reads of a request body: 10 seconds. */
	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Default keep-alive idle time: 90 seconds, longer than the client pool's 1 minute TTL (go-micro's, and
	 * {@link HttpTransportClient#DEFAULT_POOL_TTL}), so clients close idle connections before the server does.
	 */
	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);

	/** Default connection limit per server: {@value} (at most half the process's open-file limit). */
	public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

	private static final ConnectionLimits DEFAULTS = new ConnectionLimits(DEFAULT_READ_HEADER_TIMEOUT,
			DEFAULT_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS);

	/**
	 * Checks the values.
	 * @throws NullPointerException when a timeout is {@code null}
	 * @throws IllegalArgumentException when a timeout is negative or {@code maxConnections} is not positive
	 */
	public ConnectionLimits {
		Arguments.nonNegative("readHeaderTimeout", readHeaderTimeout);
		Arguments.nonNegative("readTimeout", readTimeout);
		Arguments.nonNegative("idleTimeout", idleTimeout);
		Arguments.positive("maxConnections", maxConnections);
	}

	/** The defaults: 10 s to receive headers, 10 s between body reads, 90 s idle, 10,000 connections. */
	public static ConnectionLimits defaults() {
		return DEFAULTS;
	}

	/** A copy with another time to receive a request's headers; zero for no limit. */
	public ConnectionLimits withReadHeaderTimeout(Duration readHeaderTimeout) {
		return new ConnectionLimits(readHeaderTimeout, this.readTimeout, this.idleTimeout, this.maxConnections);
	}

	/** A copy with another longest gap between body reads; zero for no limit. */
	public ConnectionLimits withReadTimeout(Duration readTimeout) {
		return new ConnectionLimits(this.readHeaderTimeout, readTimeout, this.idleTimeout, this.maxConnections);
	}

	/** A copy with another keep-alive idle time; zero keeps idle connections open until the client closes them. */
	public ConnectionLimits withIdleTimeout(Duration idleTimeout) {
		return new ConnectionLimits(this.readHeaderTimeout, this.readTimeout, idleTimeout, this.maxConnections);
	}

	/** A copy with another connection limit. */
	public ConnectionLimits withMaxConnections(int maxConnections) {
		return new ConnectionLimits(this.readHeaderTimeout, this.readTimeout, this.idleTimeout, maxConnections);
	}

}
