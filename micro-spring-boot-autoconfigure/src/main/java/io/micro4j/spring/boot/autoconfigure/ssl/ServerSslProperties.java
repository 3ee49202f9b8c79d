package io.micro4j.spring.boot.autoconfigure.ssl;

import io.micro4j.transport.TlsOptions.ClientAuth;
import org.jspecify.annotations.Nullable;

/**
 * TLS of the mucp server and the http broker's listener, bound under {@code micro.server.ssl.*}.
 */
public class ServerSslProperties {

	/**
	 * The name of the SSL bundle (spring.ssl.bundle.*) with the certificate and private key of the mucp port (the
	 * gRPC port with micro.server.protocol=grpc) and the http broker's listener; set, they speak TLS only and register
	 * secure=true. Unset: plaintext.
	 */
	private @Nullable String bundle;

	/**
	 * Whether clients must present a certificate issued by a CA in the bundle's trust store: "none", "want" (verify
	 * one when sent) or "need" (mTLS: refuse clients without one).
	 */
	private ClientAuth clientAuth = ClientAuth.NONE;

	public @Nullable String getBundle() {
		return this.bundle;
	}

	public void setBundle(@Nullable String bundle) {
		this.bundle = bundle;
	}

	public ClientAuth getClientAuth() {
		return this.clientAuth;
	}

	public void setClientAuth(ClientAuth clientAuth) {
		this.clientAuth = clientAuth;
	}

}
