package io.micro4j.transport.http.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

/**
 * The process's open-file limit, where the JVM tells it (Unix-like systems).
 */
public final class FileDescriptors {

	private FileDescriptors() {
	}

	/** The most file descriptors this process may hold open, or empty when the platform does not say. */
	public static OptionalLong limit() {
		try {
			OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
			if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
				long max = unix.getMaxFileDescriptorCount();
				return (max > 0) ? OptionalLong.of(max) : OptionalLong.empty();
			}
		}
		catch (RuntimeException | LinkageError ex) {
			// not available on this JVM
		}
		return OptionalLong.empty();
	}

	/**
	 * The connection limit to apply: {@code configured}, but at most half of {@code fileLimit} (at least 1), so that
	 * one port cannot take all the descriptors the process's other ports and files need.
	 */
	public static int connectionLimit(int configured, OptionalLong fileLimit) {
		if (fileLimit.isEmpty()) {
			return configured;
		}
		long half = Math.max(1, fileLimit.getAsLong() / 2);
		return (int) Math.min(configured, half);
	}

}
