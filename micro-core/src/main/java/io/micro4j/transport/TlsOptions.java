package io.micro4j.transport;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import org.jspecify.annotations.Nullable;

/**
 * The TLS settings of one side of a transport: the certificate it presents, the CAs it trusts, whether a server asks
 * clients for a certificate (mTLS), whether a client checks that the server's certificate names the address it
 * dialled, and optionally the protocols and cipher suites to allow. Immutable; build with {@link #builder()}.
 * <p>
 * A server needs {@link #keyManagerFactory()}. A client presents a certificate only when it has one (mTLS) and trusts
 * the JDK's default CAs when {@link #trustManagerFactory()} is empty. Transports take a
 * {@code Supplier<TlsOptions>} and ask it for each new connection; a supplier that returns a new instance after
 * certificate files changed (Spring Boot's SSL bundle reloading does that) puts the new certificates into effect for
 * new connections without a restart, while open connections keep theirs.
 */
public final class TlsOptions {

	/** Whether a TLS server asks its clients for a certificate. */
	public enum ClientAuth {

		/** The server asks for no client certificate (TLS). */
		NONE,
		/** The server asks for one and verifies it when sent, but also serves clients without one. */
		WANT,
		/** The server refuses clients without a certificate issued by a CA it trusts (mTLS). */
		NEED

	}

	private static final TlsOptions DEFAULTS = builder().build();

	private final @Nullable KeyManagerFactory keyManagerFactory;

	private final @Nullable TrustManagerFactory trustManagerFactory;

	private final ClientAuth clientAuth;

	private final boolean verifyHostname;

	private final List<String> protocols;

	private final List<String> ciphers;

	private TlsOptions(Builder builder) {
		this.keyManagerFactory = builder.keyManagerFactory;
		this.trustManagerFactory = builder.trustManagerFactory;
		this.clientAuth = builder.clientAuth;
		this.verifyHostname = builder.verifyHostname;
		this.protocols = builder.protocols;
		this.ciphers = builder.ciphers;
	}

	/**
	 * A builder with no certificate, the JDK's default CAs, {@link ClientAuth#NONE}, hostname verification on and the
	 * JDK's default protocols and cipher suites.
	 */
	public static Builder builder() {
		return new Builder();
	}

	/** The client defaults: no certificate, the JDK's default CAs, hostname verification on. */
	public static TlsOptions defaults() {
		return DEFAULTS;
	}

	/** The certificate and private key this side presents; empty when it presents none. */
	public Optional<KeyManagerFactory> keyManagerFactory() {
		return Optional.ofNullable(this.keyManagerFactory);
	}

	/** The CAs this side trusts to sign the peer's certificate; empty for the JDK's default CAs. */
	public Optional<TrustManagerFactory> trustManagerFactory() {
		return Optional.ofNullable(this.trustManagerFactory);
	}

	/** Whether a server asks clients for a certificate; ignored by clients. */
	public ClientAuth clientAuth() {
		return this.clientAuth;
	}

	/**
	 * Whether a client checks that the server's certificate names the host it dialled (an IP address in a
	 * subject-alternative-name entry of type IP, or a DNS name); ignored by servers.
	 */
	public boolean verifyHostname() {
		return this.verifyHostname;
	}

	/** The TLS protocols to enable ({@code TLSv1.3}, ...); empty for the JDK's defaults. */
	public List<String> protocols() {
		return this.protocols;
	}

	/** The cipher suites to enable; empty for the JDK's defaults. */
	public List<String> ciphers() {
		return this.ciphers;
	}

	@Override
	public String toString() {
		return "TlsOptions[certificate=" + (this.keyManagerFactory != null) + ", trust="
				+ ((this.trustManagerFactory != null) ? "given" : "JDK default") + ", clientAuth=" + this.clientAuth
				+ ", verifyHostname=" + this.verifyHostname + "]";
	}

	/** Builds {@link TlsOptions}. */
	public static final class Builder {

		private @Nullable KeyManagerFactory keyManagerFactory;

		private @Nullable TrustManagerFactory trustManagerFactory;

		private ClientAuth clientAuth = ClientAuth.NONE;

		private boolean verifyHostname = true;

		private List<String> protocols = List.of();

		private List<String> ciphers = List.of();

		private Builder() {
		}

		/**
		 * The certificate and private key to present (an initialised factory); required for a server, optional for a
		 * client (mTLS). {@code null} (default): none.
		 */
		public Builder keyManagerFactory(@Nullable KeyManagerFactory keyManagerFactory) {
			this.keyManagerFactory = keyManagerFactory;
			return this;
		}

		/** The CAs to trust (an initialised factory); {@code null} (default): the JDK's default CAs. */
		public Builder trustManagerFactory(@Nullable TrustManagerFactory trustManagerFactory) {
			this.trustManagerFactory = trustManagerFactory;
			return this;
		}

		/** Whether a server asks clients for a certificate; {@link ClientAuth#NONE} by default. */
		public Builder clientAuth(ClientAuth clientAuth) {
			this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
			return this;
		}

		/**
		 * Whether a client checks that the server's certificate names the dialled host; {@code true} by default.
		 * Registry nodes carry IP addresses, so server certificates need IP subject alternative names, or this off.
		 */
		public Builder verifyHostname(boolean verifyHostname) {
			this.verifyHostname = verifyHostname;
			return this;
		}

		/** The TLS protocols to enable; empty (default) for the JDK's defaults. */
		public Builder protocols(List<String> protocols) {
			this.protocols = List.copyOf(protocols);
			return this;
		}

		/** The cipher suites to enable; empty (default) for the JDK's defaults. */
		public Builder ciphers(List<String> ciphers) {
			this.ciphers = List.copyOf(ciphers);
			return this;
		}

		public TlsOptions build() {
			return new TlsOptions(this);
		}

	}

}
