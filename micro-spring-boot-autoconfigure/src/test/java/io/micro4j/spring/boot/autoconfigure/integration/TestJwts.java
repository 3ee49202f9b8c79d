package io.micro4j.spring.boot.autoconfigure.integration;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

/** RS256 tokens of the auth tests: issuer {@value #ISSUER}, audience {@code greeter}, key id {@code k1}. */
final class TestJwts {

	/** The issuer of the tokens: {@value}. */
	static final String ISSUER = "https://auth.test";

	private TestJwts() {
	}

	/** A new 2048-bit RSA key pair. */
	static KeyPair rsa() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** {@code key} as a PEM {@code PUBLIC KEY} block. */
	static String pem(PublicKey key) {
		return "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
	}

	/** A token of {@code subject} granting {@code scope}, valid for {@code validSeconds} (negative: expired). */
	static String token(PrivateKey key, String subject, String scope, long validSeconds) {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("alg", "RS256");
		header.put("kid", "k1");
		long now = Instant.now().getEpochSecond();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", subject);
		claims.put("scope", scope);
		claims.put("iss", ISSUER);
		claims.put("aud", "greeter");
		claims.put("iat", now - 900);
		claims.put("exp", now + validSeconds);
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String input = b64.encodeToString(JSONObjectUtils.toJSONString(header).getBytes(StandardCharsets.UTF_8)) + "."
				+ b64.encodeToString(JSONObjectUtils.toJSONString(claims).getBytes(StandardCharsets.UTF_8));
		try {
			Signature signature = Signature.getInstance("SHA256withRSA");
			signature.initSign(key);
			signature.update(input.getBytes(StandardCharsets.US_ASCII));
			return input + "." + b64.encodeToString(signature.sign());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
