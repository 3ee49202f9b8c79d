package io.micro4j.security.internal;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.security.Signature;
import java.util.LinkedHashSet;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.util.Base64URL;

/**
 * Nimbus's verifier factory plus EdDSA (Ed25519) through the JDK's own {@code Ed25519} signature (Java 15+), so
 * Ed25519 tokens verify without Nimbus's optional Tink dependency.
 */
public final class EdDsaVerifierFactory implements JWSVerifierFactory {

	private static final Set<JWSAlgorithm> ED_DSA = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

	private final DefaultJWSVerifierFactory delegate = new DefaultJWSVerifierFactory();

	@Override
	public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
		if (ED_DSA.contains(header.getAlgorithm())) {
			if (!(key instanceof PublicKey publicKey) || !PublicKeys.isEd25519(publicKey)) {
				throw new JOSEException("an " + header.getAlgorithm() + " token needs an Ed25519 public key");
			}
			return new Verifier(publicKey);
		}
		return this.delegate.createJWSVerifier(header, key);
	}

	@Override
	public Set<JWSAlgorithm> supportedJWSAlgorithms() {
		Set<JWSAlgorithm> all = new LinkedHashSet<>(this.delegate.supportedJWSAlgorithms());
		all.addAll(ED_DSA);
		return all;
	}

	@Override
	public JCAContext getJCAContext() {
		return this.delegate.getJCAContext();
	}

	private static final class Verifier implements JWSVerifier {

		private final PublicKey key;

		private final JCAContext jca = new JCAContext();

		Verifier(PublicKey key) {
			this.key = key;
		}

		@Override
		public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
			try {
				Signature verifier = Signature.getInstance("Ed25519");
				verifier.initVerify(this.key);
				verifier.update(signingInput);
				return verifier.verify(signature.decode());
			}
			catch (GeneralSecurityException ex) {
				return false;
			}
		}

		@Override
		public Set<JWSAlgorithm> supportedJWSAlgorithms() {
			return ED_DSA;
		}

		@Override
		public JCAContext getJCAContext() {
			return this.jca;
		}

	}

}
