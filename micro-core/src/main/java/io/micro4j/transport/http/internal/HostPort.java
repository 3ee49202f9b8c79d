package io.micro4j.transport.http.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code host:port} address as go-micro writes them: {@code 127.0.0.1:8080}, {@code [::1]:8080},
 * {@code localhost:8080}, or {@code :8080} (empty host: all interfaces).
 *
 * @param host the host without brackets; empty for all interfaces
 * @param port the port, 0 to 65535
 */
public record HostPort(String host, int port) {

	/**
	 * Parses {@code address}.
	 * @throws IllegalArgumentException when it is not {@code host:port} with a port from 0 to 65535
	 */
	public static HostPort parse(String address) {
		int colon = address.lastIndexOf(':');
		if (colon < 0) {
			throw invalid(address);
		}
		String host = address.substring(0, colon);
		String portText = address.substring(colon + 1);
		if (host.startsWith("[")) {
			if (!host.endsWith("]") || host.length() < 3) {
				throw invalid(address);
			}
			host = host.substring(1, host.length() - 1);
		}
		else if (host.indexOf(':') >= 0 || host.indexOf(']') >= 0) {
			throw invalid(address);
		}
		if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
			throw invalid(address);
		}
		int port = Integer.parseInt(portText);
		if (port > 65535) {
			throw invalid(address);
		}
		return new HostPort(host, port);
	}

	private static IllegalArgumentException invalid(String address) {
		return new IllegalArgumentException(
				"address: \"" + address + "\" (expected: host:port such as 127.0.0.1:8080, [::1]:8080 or :0)");
	}

	/** The host as an IP address when it is an IP literal, otherwise {@code null} (a name to resolve). */
	public @Nullable InetAddress ipLiteral() {
		if (this.host.isEmpty()) {
			return null;
		}
		return NetUtil.createInetAddressFromIpAddressString(this.host);
	}

	/**
	 * The address to listen on: the wildcard address for an empty host, otherwise the host resolved now (which may
	 * block for a DNS lookup). The result is unresolved if the name cannot be resolved.
	 */
	public InetSocketAddress bindAddress() {
		if (this.host.isEmpty()) {
			return new InetSocketAddress(this.port);
		}
		InetAddress literal = ipLiteral();
		return (literal != null) ? new InetSocketAddress(literal, this.port) : new InetSocketAddress(this.host, this.port);
	}

}
