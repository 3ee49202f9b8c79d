package io.micro4j.test.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import javax.net.ssl.TrustManagerFactory;

import io.micro4j.test.tls.TestCertificates.Identity;
import io.micro4j.transport.TlsOptions;

/**
 * Client {@link TlsOptions} made from {@link TestCertificates}, for tests of clients (brokers, registries) against
 * TLS servers that present {@link TestCertificates#server()}.
 */
public final class ClientTls {

	private ClientTls() {
	}

	/** Trusts the test CA; presents no certificate. */
	public static TlsOptions trusting(TestCertificates certificates) {
		return TlsOptions.builder().trustManagerFactory(certificates.trustManagerFactory()).build();
	}

	/** Trusts the test CA and presents {@code identity} (mTLS). */
	public static TlsOptions presenting(TestCertificates certificates, Identity identity) {
		return TlsOptions.builder()
			.trustManagerFactory(certificates.trustManagerFactory())
			.keyManagerFactory(identity.keyManagerFactory())
			.build();
	}

	/**
	 * Trusts only the CA nobody else trusts (the issuer of {@link TestCertificates#unknownCaClient()}), so every
	 * server certificate of the test CA is refused; presents {@link TestCertificates#client()}.
	 */
	public static TlsOptions trustingTheUnknownCa(TestCertificates certificates) {
		return TlsOptions.builder()
			.trustManagerFactory(trustManagerFactory(certificates.unknownCaClient().chain().get(1)))
			.keyManagerFactory(certificates.client().keyManagerFactory())
			.build();
	}

	/** Trust managers that trust {@code ca} alone. */
	public static TrustManagerFactory trustManagerFactory(X509Certificate ca) {
		try {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setCertificateEntry("ca", ca);
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(store);
			return factory;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
