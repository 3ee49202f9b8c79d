package io.micro4j.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Key pairs made in the test (RSA 2048, EC P-256, Ed25519) and JWTs signed with them by the JDK, so the tests do not
 * trust the library they test to make the tokens it checks.
 */
final class TestKeys {

	private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

	private TestKeys() {
	}

	static KeyPair rsa() {
		return generate("RSA", null);
	}

	static KeyPair ec() {
		return generate("EC", new ECGenParameterSpec("secp256r1"));
	}

	static KeyPair ed25519() {
		return generate("Ed25519", null);
	}

	private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
			if (spec != null) {
				generator.initialize(spec);
			}
			else if ("RSA".equals(algorithm)) {
				generator.initialize(2048);
			}
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Claims of a token for {@code subject} granting {@code scope} (OAuth2 layout), valid for 10 minutes. */
	static Map<String, Object> claims(String subject, String scope) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", subject);
		claims.put("scope", scope);
		claims.put("iat", Instant.now().getEpochSecond());
		claims.put("exp", Instant.now().plus(Duration.ofMinutes(10)).getEpochSecond());
		return claims;
	}

	/** A compact JWS of {@code claims}, signed with {@code keys} under {@code alg} (RS256, ES256 or EdDSA). */
	static String sign(KeyPair keys, String alg, Map<String, Object> claims) {
		return sign(keys, alg, null, claims);
	}

	static String sign(KeyPair keys, String alg, String kid, Map<String, Object> claims) {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("alg", alg);
		header.put("typ", "JWT");
		if (kid != null) {
			header.put("kid", kid);
		}
		String input = part(JSONObjectUtils.toJSONString(header)) + "." + part(JSONObjectUtils.toJSONString(claims));
		try {
			Signature signature = Signature.getInstance(switch (alg) {
				case "RS256" -> "SHA256withRSA";
				case "ES256" -> "SHA256withECDSA";
				case "EdDSA" -> "Ed25519";
				default -> throw new IllegalArgumentException(alg);
			});
			signature.initSign(keys.getPrivate());
			signature.update(input.getBytes(StandardCharsets.US_ASCII));
			byte[] bytes = signature.sign();
			if ("ES256".equals(alg)) {
				bytes = ECDSA.transcodeSignatureToConcat(bytes, 64);
			}
			return input + "." + B64.encodeToString(bytes);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An unsigned token ({@code alg: none}). */
	static String unsigned(Map<String, Object> claims) {
		return part("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + part(JSONObjectUtils.toJSONString(claims)) + ".";
	}

	/** {@code token} with its payload replaced by {@code claims}, signature kept. */
	static String tampered(String token, Map<String, Object> claims) {
		String[] parts = token.split("\\.");
		return parts[0] + "." + part(JSONObjectUtils.toJSONString(claims)) + "." + parts[2];
	}

	/** The PEM text of a public key. */
	static String pem(KeyPair keys) {
		return "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
					.encodeToString(keys.getPublic().getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
	}

	private static String part(String json) {
		return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}
