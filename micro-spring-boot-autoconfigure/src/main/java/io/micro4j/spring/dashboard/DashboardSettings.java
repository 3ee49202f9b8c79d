package io.micro4j.spring.dashboard;

import java.time.Duration;
import java.util.Objects;

import io.micro4j.internal.Arguments;

/**
 * The dashboard's limits.
 *
 * @param path the path the dashboard is served under, starting with {@code /} and not ending with one
 * @param callTimeout the longest a call from the dashboard may take, retries included
 * @param maxRequestSize the largest call or publish body accepted, in bytes
 * @param maxClients how many live-update streams may be open at once
 * @param heartbeatInterval how often an idle live-update stream gets a comment line
 */
public record DashboardSettings(String path, Duration callTimeout, long maxRequestSize, int maxClients,
		Duration heartbeatInterval) {

	/** The default path: {@value}. */
	public static final String DEFAULT_PATH = "/micro";

	/** The default call budget: 10 seconds. */
	public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);

	/** The default largest call or publish body: {@value} bytes (64 KiB). */
	public static final long DEFAULT_MAX_REQUEST_SIZE = 64 * 1024;

	/** The default number of live-update streams: {@value}. */
	public static final int DEFAULT_MAX_CLIENTS = 16;

	/** The default heartbeat interval: 15 seconds. */
	public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(15);

	public DashboardSettings {
		Objects.requireNonNull(path, "path");
		if (!path.startsWith("/") || path.endsWith("/") || path.contains("*") || path.contains("{")) {
			throw new IllegalArgumentException(
					"path: " + path + " (expected: starts with /, does not end with /, no patterns)");
		}
		Arguments.positive("callTimeout", callTimeout);
		Arguments.positive("heartbeatInterval", heartbeatInterval);
		Arguments.positive("maxClients", maxClients);
		if (maxRequestSize <= 0) {
			throw new IllegalArgumentException("maxRequestSize: " + maxRequestSize + " (expected: > 0)");
		}
	}

	/** The defaults. */
	public static DashboardSettings defaults() {
		return new DashboardSettings(DEFAULT_PATH, DEFAULT_CALL_TIMEOUT, DEFAULT_MAX_REQUEST_SIZE, DEFAULT_MAX_CLIENTS,
				DEFAULT_HEARTBEAT_INTERVAL);
	}

}
