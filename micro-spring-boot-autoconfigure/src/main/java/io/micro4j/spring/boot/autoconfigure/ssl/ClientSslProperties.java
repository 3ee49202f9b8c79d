package io.micro4j.spring.boot.autoconfigure.ssl;

import org.jspecify.annotations.Nullable;

/**
 * TLS of the mucp and gRPC clients, micro:/// gRPC channels and the http broker's publisher towards nodes that say
 * secure=true, bound under
 * {@code micro.client.ssl.*}.
 */
public class ClientSslProperties {

	/**
	 * The name of the SSL bundle (spring.ssl.bundle.*) whose trust store holds the CAs of TLS nodes and whose key
	 * store, if any, holds the client certificate sent to servers that ask for one (mTLS). Unset: the JDK's default
	 * CAs and no client certificate.
	 */
	private @Nullable String bundle;

	/**
	 * Whether a TLS node's certificate must name the address the node registered (an IP subject alternative name
	 * for the usual IP addresses); off, only the issuing CA is checked.
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
