package io.micro4j.server;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

import org.jspecify.annotations.Nullable;

/**
 * Chooses the address a node registers, as go-micro's {@code addr.Extract} does: a wildcard listen address
 * ({@code 0.0.0.0}, {@code ::}) is replaced by the first private IPv4 address of an interface that is up, else any
 * non-loopback IPv4 address, else the loopback address.
 */
public final class Addresses {

	private Addresses() {
	}

	/** {@code host:port} to advertise for a server bound to {@code bound}. */
	public static String advertise(InetSocketAddress bound) {
		InetAddress address = bound.getAddress();
		InetAddress chosen = (address == null || address.isAnyLocalAddress()) ? routableAddress() : address;
		return hostPort(chosen, bound.getPort());
	}

	/** {@code host:port}, IPv6 hosts in brackets. */
	public static String hostPort(InetAddress address, int port) {
		String host = address.getHostAddress();
		int zone = host.indexOf('%');
		if (address instanceof Inet6Address) {
			if (zone >= 0) {
				host = host.substring(0, zone);
			}
			return "[" + host + "]:" + port;
		}
		return host + ":" + port;
	}

	static InetAddress routableAddress() {
		InetAddress privateV4 = null;
		InetAddress anyV4 = null;
		try {
			for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
				if (!isUsable(nic)) {
					continue;
				}
				for (InetAddress a : Collections.list(nic.getInetAddresses())) {
					if (!(a instanceof Inet4Address) || a.isLoopbackAddress() || a.isLinkLocalAddress()) {
						continue;
					}
					if (a.isSiteLocalAddress() && privateV4 == null) {
						privateV4 = a;
					}
					else if (anyV4 == null) {
						anyV4 = a;
					}
				}
			}
		}
		catch (SocketException ex) {
			// fall through to loopback
		}
		if (privateV4 != null) {
			return privateV4;
		}
		return (anyV4 != null) ? anyV4 : InetAddress.getLoopbackAddress();
	}

	private static boolean isUsable(@Nullable NetworkInterface nic) {
		try {
			return nic != null && nic.isUp() && !nic.isLoopback() && !nic.isVirtual();
		}
		catch (SocketException ex) {
			return false;
		}
	}

}
