package io.micro4j.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import org.jspecify.annotations.Nullable;

/** Reading public keys: PEM text, JWKs, and which key fits which JWS algorithm. */
public final class PublicKeys {

	// SubjectPublicKeyInfo of an Ed25519 key, before its 32 bytes (RFC 8410)
	private static final byte[] ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

	private static final Set<String> KEY_ALGORITHMS = Set.of("RSA", "EC", "Ed25519");

	private PublicKeys() {
	}

	/**
	 * The public key in {@code text}: a PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo) holding an RSA, EC or
	 * Ed25519 key, or that PEM base64-encoded once more, as go-micro's {@code auth.PublicKey} option takes it.
	 * @throws IllegalArgumentException when it holds no such key; the message never repeats the text
	 */
	public static PublicKey parse(String text) {
		String pem = text.trim();
		if (!pem.startsWith("-----BEGIN")) {
			try {
				pem = new String(Base64.getMimeDecoder().decode(pem), StandardCharsets.US_ASCII).trim();
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("not a PEM public key, nor base64 of one");
			}
		}
		if (!pem.startsWith("-----BEGIN PUBLIC KEY-----")) {
			throw new IllegalArgumentException("expected a PEM 'PUBLIC KEY' block (X.509 SubjectPublicKeyInfo)");
		}
		String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replaceAll("-----END PUBLIC KEY-----[\\s\\S]*", "");
		byte[] der = Base64.getMimeDecoder().decode(body);
		for (String algorithm : KEY_ALGORITHMS) {
			try {
				return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
			}
			catch (GeneralSecurityException ex) {
				// try the next key type
			}
		}
		throw new IllegalArgumentException("the PEM block holds no RSA, EC or Ed25519 public key");
	}

	/** Whether {@code key} is an Ed25519 key. */
	public static boolean isEd25519(PublicKey key) {
		return "Ed25519".equals(key.getAlgorithm()) || ("EdDSA".equals(key.getAlgorithm())
				&& key.getEncoded() != null && key.getEncoded().length == ED25519_PREFIX.length + 32);
	}

	/** Whether {@code key} can verify a signature of {@code algorithm}. */
	public static boolean fits(PublicKey key, JWSAlgorithm algorithm) {
		if (JWSAlgorithm.Family.RSA.contains(algorithm)) {
			return key instanceof RSAPublicKey;
		}
		if (JWSAlgorithm.Family.EC.contains(algorithm)) {
			if (!(key instanceof ECPublicKey ec)) {
				return false;
			}
			Curve curve = Curve.forECParameterSpec(ec.getParams());
			return curve != null && Curve.forJWSAlgorithm(algorithm).contains(curve);
		}
		if (JWSAlgorithm.EdDSA.equals(algorithm) || JWSAlgorithm.Ed25519.equals(algorithm)) {
			return isEd25519(key);
		}
		return false;
	}

	/** The JDK public key of a JWK (RSA, EC, or an Ed25519 OKP); {@code null} for other keys. */
	public static @Nullable PublicKey toPublicKey(JWK jwk) {
		try {
			if (jwk instanceof OctetKeyPair okp) {
				if (!Curve.Ed25519.equals(okp.getCurve())) {
					return null;
				}
				byte[] x = okp.getX().decode();
				byte[] der = new byte[ED25519_PREFIX.length + x.length];
				System.arraycopy(ED25519_PREFIX, 0, der, 0, ED25519_PREFIX.length);
				System.arraycopy(x, 0, der, ED25519_PREFIX.length, x.length);
				return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
			}
			if (jwk instanceof AsymmetricJWK asymmetric) {
				return asymmetric.toPublicKey();
			}
			return null;
		}
		catch (GeneralSecurityException | JOSEException ex) {
			return null;
		}
	}

}
