package io.micro4j.security;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MicroJwtDecodersTests {

	private final KeyPair rsa = TestKeys.rsa();

	private final KeyPair ec = TestKeys.ec();

	private final KeyPair ed = TestKeys.ed25519();

	private JwtDecoder rsaDecoder() {
		return MicroJwtDecoders.builder().publicKey(this.rsa.getPublic()).build();
	}

	private static Map<String, Object> expiredFor(Duration ago) {
		Map<String, Object> claims = TestKeys.claims("alice", "a");
		claims.put("iat", Instant.now().minus(Duration.ofMinutes(20)).getEpochSecond());
		claims.put("exp", Instant.now().minus(ago).getEpochSecond());
		return claims;
	}

	@Test
	void whenTokenExpiredLongerAgoThanTheClockSkewThenItIsRefused() {
		JwtDecoder decoder = rsaDecoder();
		assertThatThrownBy(() -> decoder.decode(TestKeys.sign(this.rsa, "RS256", expiredFor(Duration.ofMinutes(5)))))
			.isInstanceOf(JwtException.class)
			.hasMessageContaining("expired");
	}

	@Test
	void whenTokenExpiredWithinTheClockSkewThenItIsAccepted() {
		String token = TestKeys.sign(this.rsa, "RS256", expiredFor(Duration.ofSeconds(20)));
		assertThat(rsaDecoder().decode(token).getSubject()).isEqualTo("alice");
		JwtDecoder strict = MicroJwtDecoders.builder()
			.publicKey(this.rsa.getPublic())
			.clockSkew(Duration.ofSeconds(5))
			.build();
		assertThatThrownBy(() -> strict.decode(token)).isInstanceOf(JwtException.class);
	}

	@Test
	void whenTokenHasNoExpiryThenItIsRefused() {
		Map<String, Object> claims = TestKeys.claims("alice", "a");
		claims.remove("exp");
		assertThatThrownBy(() -> rsaDecoder().decode(TestKeys.sign(this.rsa, "RS256", claims)))
			.isInstanceOf(JwtException.class);
	}

	@Test
	void whenIssuerIsConfiguredThenOtherIssuersAreRefused() {
		JwtDecoder decoder = MicroJwtDecoders.builder()
			.publicKey(this.rsa.getPublic())
			.issuer("https://auth.example")
			.build();
		Map<String, Object> claims = TestKeys.claims("alice", "a");
		claims.put("iss", "https://auth.example");
		assertThat(decoder.decode(TestKeys.sign(this.rsa, "RS256", claims)).getSubject()).isEqualTo("alice");
		claims.put("iss", "https://evil.example");
		assertThatThrownBy(() -> decoder.decode(TestKeys.sign(this.rsa, "RS256", claims)))
			.isInstanceOf(JwtException.class);
	}

	@Test
	void whenAudiencesAreConfiguredThenTheTokenMustNameOne() {
		JwtDecoder decoder = MicroJwtDecoders.builder()
			.publicKey(this.rsa.getPublic())
			.audiences("greeter", "orders")
			.build();
		Map<String, Object> claims = TestKeys.claims("alice", "a");
		claims.put("aud", List.of("billing", "orders"));
		assertThat(decoder.decode(TestKeys.sign(this.rsa, "RS256", claims)).getSubject()).isEqualTo("alice");
		claims.put("aud", "billing");
		assertThatThrownBy(() -> decoder.decode(TestKeys.sign(this.rsa, "RS256", claims)))
			.isInstanceOf(JwtException.class);
		claims.remove("aud");
		assertThatThrownBy(() -> decoder.decode(TestKeys.sign(this.rsa, "RS256", claims)))
			.isInstanceOf(JwtException.class);
	}

	@Test
	void whenTokenIsSignedWithHmacOverThePublicKeyThenItIsRefused() throws Exception {
		// the algorithm-confusion attack: HS256 with the server's public key as the shared secret
		String header = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
		String payload = b64("{\"sub\":\"mallory\",\"scope\":\"admin\",\"exp\":"
				+ Instant.now().plusSeconds(600).getEpochSecond() + "}");
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(TestKeys.pem(this.rsa).getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
		String signature = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
		assertThatThrownBy(() -> rsaDecoder().decode(header + "." + payload + "." + signature))
			.isInstanceOf(JwtException.class);
	}

	@Test
	void whenKeysComeFromAJwksUriThenRsaEcAndEd25519TokensVerify() throws Exception {
		try (JwksServer jwks = new JwksServer(JwksServer.jwks(this.rsa, this.ec, this.ed))) {
			JwtDecoder decoder = MicroJwtDecoders.builder().jwkSetUri(jwks.uri()).build();
			Jwt fromRsa = decoder.decode(TestKeys.sign(this.rsa, "RS256", "rsa", TestKeys.claims("r", "a")));
			Jwt fromEc = decoder.decode(TestKeys.sign(this.ec, "ES256", "ec", TestKeys.claims("e", "a")));
			Jwt fromEd = decoder.decode(TestKeys.sign(this.ed, "EdDSA", "ed", TestKeys.claims("d", "a")));
			Jwt noKid = decoder.decode(TestKeys.sign(this.ed, "EdDSA", TestKeys.claims("n", "a")));
			assertThat(List.of(fromRsa, fromEc, fromEd, noKid)).extracting(Jwt::getSubject)
				.containsExactly("r", "e", "d", "n");
			assertThatThrownBy(() -> decoder.decode(TestKeys.sign(TestKeys.rsa(), "RS256", "rsa",
					TestKeys.claims("x", "a"))))
				.isInstanceOf(JwtException.class);
			assertThatThrownBy(() -> decoder.decode(TestKeys.sign(this.rsa, "RS256", "ec",
					TestKeys.claims("x", "a"))))
				.isInstanceOf(JwtException.class);
			assertThat(jwks.fetches()).isBetween(1, 3);
		}
	}

	@Test
	void whenTheJwksCannotBeFetchedThenCallsGet503NotA401() throws Exception {
		int port;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		JwtDecoder decoder = MicroJwtDecoders.builder().jwkSetUri("http://127.0.0.1:" + port + "/jwks.json").build();
		Authenticator authenticator = Authenticator.builder(decoder).build();
		String token = TestKeys.sign(this.rsa, "RS256", "rsa", TestKeys.claims("r", "a"));
		assertThatThrownBy(() -> authenticator.authenticate("greeter", "Greeter.Hello",
				io.micro4j.metadata.Metadata.of("Authorization", "Bearer " + token), "127.0.0.1"))
			.isInstanceOfSatisfying(io.micro4j.errors.MicroException.class, (ex) -> {
				assertThat(ex.code()).isEqualTo(503);
				assertThat(ex.detail()).isEqualTo(
						"cannot verify the token of greeter:Greeter.Hello now: signing keys unavailable");
			});
	}

	@Test
	void whenPublicKeyIsPemOrGoMicrosBase64OfPemThenItIsRead() {
		String pem = TestKeys.pem(this.ed);
		String goMicro = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
		for (String text : List.of(pem, goMicro)) {
			JwtDecoder decoder = MicroJwtDecoders.builder().publicKey(text).build();
			assertThat(decoder.decode(TestKeys.sign(this.ed, "EdDSA", TestKeys.claims("d", "a"))).getSubject())
				.isEqualTo("d");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> MicroJwtDecoders.builder().publicKey("secret!"))
			.withMessageNotContaining("secret!");
	}

	@Test
	void whenAlgorithmsAreRestrictedThenOthersAreRefused() {
		JwtDecoder decoder = MicroJwtDecoders.builder()
			.publicKey(this.rsa.getPublic())
			.publicKey(this.ec.getPublic())
			.algorithms(java.util.Set.of("ES256"))
			.build();
		assertThat(decoder.decode(TestKeys.sign(this.ec, "ES256", TestKeys.claims("e", "a"))).getSubject())
			.isEqualTo("e");
		assertThatThrownBy(() -> decoder.decode(TestKeys.sign(this.rsa, "RS256", TestKeys.claims("r", "a"))))
			.isInstanceOf(JwtException.class);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MicroJwtDecoders.builder().algorithms(java.util.Set.of("HS256")))
			.withMessageContaining("HS256");
	}

	@Test
	void whenNoKeyIsGivenThenBuildFails() {
		assertThatIllegalStateException().isThrownBy(() -> MicroJwtDecoders.builder().build())
			.withMessage("a JWT decoder needs a JWKS URI or a public key");
	}

	private static String b64(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}
