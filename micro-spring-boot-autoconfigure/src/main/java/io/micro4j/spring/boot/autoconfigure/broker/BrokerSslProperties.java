package io.micro4j.spring.boot.autoconfigure.broker;

import org.jspecify.annotations.Nullable;

/**
 * TLS of the connection to a broker server (NATS, RabbitMQ), bound under {@code micro.broker.<type>.ssl.*}.
 */
public class BrokerSslProperties {

	/**
	 * The name of the SSL bundle (spring.ssl.bundle.*) whose trust store holds the CAs of the broker server's
	 * certificate and whose key store, if any, holds the client certificate for servers that require one (mTLS).
	 * Set, the connection uses TLS, and a reloaded bundle applies to the next (re)connection.
	 */
	private @Nullable String bundle;

	/**
	 * Whether the broker server's certificate must name the host in the broker address (an IP subject alternative
	 * name for an IP address); off, only the issuing CA is checked.
	 */
	private boolean verifyHostname = true;

	public @Nullable String getBundle() {
		return this.bundle;
	}

	public void setBundle(@Nullable String bundle) {
		this.bundle = bundle;
	}

	public boolean isVerifyHostname() {
		return this.verifyHostname;
	}

	public void setVerifyHostname(boolean verifyHostname) {
		this.verifyHostname = verifyHostname;
	}

}
