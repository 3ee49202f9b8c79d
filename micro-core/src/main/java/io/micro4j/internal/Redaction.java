package io.micro4j.internal;

import java.util.Collection;
import java.util.Objects;

/**
 * Takes secrets out of text bound for logs and exception messages.
 */
public final class Redaction {

	/** What stands for the removed user info: {@value}. */
	public static final String MASK = "***";

	private static final int MIN_SECRET_LENGTH = 3;

	private Redaction() {
	}

	/**
	 * {@code address} with the user info of its authority ({@code user:password@}, a NATS token {@code token@})
	 * replaced by {@value #MASK}: {@code amqp://guest:guest@host:5672/vhost} becomes
	 * {@code amqp://***@host:5672/vhost}. An address without a scheme ({@code user:pass@host:port}) is masked too;
	 * an address without user info comes back as it is.
	 */
	public static String uri(String address) {
		Objects.requireNonNull(address, "address");
		int start = userInfoStart(address);
		int at = userInfoEnd(address, start);
		if (at < start) {
			return address;
		}
		return address.substring(0, start) + MASK + address.substring(at);
	}

	/**
	 * {@code text} (an exception message, a library's log line) with the user info of each of {@code addresses}
	 * replaced by {@value #MASK} wherever it occurs, and the password (or token) on its own too when it has at least
	 * {@value #MIN_SECRET_LENGTH} characters (shorter ones would mask unrelated text).
	 */
	public static String text(String text, Collection<String> addresses) {
		String redacted = Objects.requireNonNull(text, "text");
		for (String address : addresses) {
			int start = userInfoStart(address);
			int at = userInfoEnd(address, start);
			if (at < start) {
				continue;
			}
			String userInfo = address.substring(start, at);
			redacted = redacted.replace(userInfo + "@", MASK + "@");
			String secret = userInfo.substring(userInfo.indexOf(':') + 1);
			if (secret.length() >= MIN_SECRET_LENGTH) {
				redacted = redacted.replace(secret, MASK);
			}
		}
		return redacted;
	}

	private static int userInfoStart(String address) {
		int scheme = address.indexOf("://");
		return (scheme >= 0) ? scheme + 3 : 0;
	}

	/** The index of the {@code @} ending the user info, or -1. */
	private static int userInfoEnd(String address, int start) {
		int end = address.length();
		for (int i = start; i < address.length(); i++) {
			char c = address.charAt(i);
			if (c == '/' || c == '?' || c == '#') {
				end = i;
				break;
			}
		}
		return address.lastIndexOf('@', end - 1);
	}

}
