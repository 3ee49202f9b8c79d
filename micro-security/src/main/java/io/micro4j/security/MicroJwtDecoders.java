package io.micro4j.security;

import java.net.MalformedURLException;
import java.net.URI;
import java.security.Key;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.micro4j.security.internal.EdDsaVerifierFactory;
import io.micro4j.security.internal.PublicKeys;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Builds the Spring Security {@link JwtDecoder} an {@link AuthHandlerWrapper} verifies tokens with: Spring's
 * {@link NimbusJwtDecoder} and validators over keys from a JWKS URI or fixed public keys.
 * <pre>{@code
 * JwtDecoder decoder = MicroJwtDecoders.builder()
 *     .jwkSetUri("https://auth.example.com/.well-known/jwks.json")
 *     .issuer("https://auth.example.com")
 *     .audiences("greeter")
 *     .build();
 * }</pre>
 * Signatures: RS256/384/512, PS256/384/512, ES256/384/512 and EdDSA (Ed25519, verified by the JDK) by default
 * ({@link #algorithms}); never {@code none} nor a shared-secret HMAC. Claims: {@code exp} and {@code nbf} with
 * {@link #clockSkew} leeway ({@value #DEFAULT_CLOCK_SKEW_SECONDS} s by default; a token without {@code exp} is
 * refused: go-micro's tokens always carry one); {@code iss} when {@link #issuer} is set; {@code aud} when {@link #audiences}
 * are (the token must name one of them). The token's {@code typ} header is not checked (go-micro writes
 * {@code JWT}, OAuth2 servers {@code at+jwt}).
 * <p>
 * JWKS are fetched and cached by Nimbus ({@link JWKSourceBuilder}: cached for 5 minutes, refreshed ahead of expiry
 * and when a token names an unknown key id, rate-limited).
 */
public final class MicroJwtDecoders {

	/** The default leeway on {@code exp} and {@code nbf}, in seconds: {@value}. */
	public static final long DEFAULT_CLOCK_SKEW_SECONDS = 60;

	/** The signature algorithms accepted unless {@link Builder#algorithms} says otherwise. */
	public static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384",
			"PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519");

	private MicroJwtDecoders() {
	}

	/** A builder; give it a JWKS URI or at least one public key. */
	public static Builder builder() {
		return new Builder();
	}

	/** Options of the decoder; {@link #build()} makes an immutable decoder. */
	public static final class Builder {

		private @Nullable String jwkSetUri;

		private final List<PublicKey> publicKeys = new ArrayList<>();

		private @Nullable String issuer;

		private final List<String> audiences = new ArrayList<>();

		private Duration clockSkew = Duration.ofSeconds(DEFAULT_CLOCK_SKEW_SECONDS);

		private Set<String> algorithms = DEFAULT_ALGORITHMS;

		private Builder() {
		}

		/** Where the signing keys are published (a JWK set document). */
		public Builder jwkSetUri(String jwkSetUri) {
			this.jwkSetUri = Objects.requireNonNull(jwkSetUri, "jwkSetUri");
			return this;
		}

		/** A key that signs tokens (RSA, EC P-256/384/521 or Ed25519); may be given several times. */
		public Builder publicKey(PublicKey key) {
			this.publicKeys.add(Objects.requireNonNull(key, "key"));
			return this;
		}

		/** A key in PEM text (or base64 of the PEM, as go-micro takes it); see {@link #publicKey(PublicKey)}. */
		public Builder publicKey(String pem) {
			return publicKey(PublicKeys.parse(pem));
		}

		/** The {@code iss} every token must carry; none checked by default. */
		public Builder issuer(@Nullable String issuer) {
			this.issuer = (issuer != null && !issuer.isBlank()) ? issuer : null;
			return this;
		}

		/** The audiences of which a token's {@code aud} must name one; none checked by default. */
		public Builder audiences(String... audiences) {
			return audiences(List.of(audiences));
		}

		/** The audiences of which a token's {@code aud} must name one; none checked by default. */
		public Builder audiences(List<String> audiences) {
			this.audiences.clear();
			audiences.stream().filter((a) -> a != null && !a.isBlank()).forEach(this.audiences::add);
			return this;
		}

		/** The leeway on {@code exp} and {@code nbf}; {@value #DEFAULT_CLOCK_SKEW_SECONDS} s by default. */
		public Builder clockSkew(Duration clockSkew) {
			if (clockSkew.isNegative()) {
				throw new IllegalArgumentException("clockSkew: " + clockSkew + " (expected: >= 0)");
			}
			this.clockSkew = clockSkew;
			return this;
		}

		/** The JWS algorithms accepted ({@code RS256}, {@code ES256}, {@code EdDSA}, ...). */
		public Builder algorithms(Set<String> algorithms) {
			for (String algorithm : algorithms) {
				if (!DEFAULT_ALGORITHMS.contains(algorithm)) {
					throw new IllegalArgumentException(
							"algorithm: " + algorithm + " (expected: one of " + DEFAULT_ALGORITHMS + ")");
				}
			}
			if (algorithms.isEmpty()) {
				throw new IllegalArgumentException("algorithms: [] (expected: at least one)");
			}
			this.algorithms = Set.copyOf(algorithms);
			return this;
		}

		/**
		 * The decoder. {@link JwtDecoder#decode} throws a {@code JwtException} for a token that is malformed,
		 * unsigned, signed by another key, tampered with, expired, not yet valid, or from the wrong issuer or for
		 * another audience.
		 * @throws IllegalStateException when neither a JWKS URI nor a public key was given
		 */
		public JwtDecoder build() {
			Set<JWSAlgorithm> accepted = new LinkedHashSet<>();
			this.algorithms.forEach((name) -> accepted.add(JWSAlgorithm.parse(name)));
			DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
			processor.setJWSKeySelector(keySelector(accepted));
			processor.setJWSVerifierFactory(new EdDsaVerifierFactory());
			processor.setJWSTypeVerifier((type, context) -> {
			});
			// exp/nbf are Spring's validators' job (with the configured skew), not Nimbus's
			processor.setJWTClaimsSetVerifier((claims, context) -> {
			});
			NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
			decoder.setJwtValidator(validator());
			return decoder;
		}

		private JWSKeySelector<SecurityContext> keySelector(Set<JWSAlgorithm> accepted) {
			if (this.jwkSetUri != null) {
				JWKSource<SecurityContext> source;
				try {
					source = JWKSourceBuilder.<SecurityContext>create(URI.create(this.jwkSetUri).toURL()).build();
				}
				catch (MalformedURLException | IllegalArgumentException ex) {
					throw new IllegalArgumentException("jwkSetUri: " + this.jwkSetUri + " (expected: an http(s) URL)");
				}
				List<PublicKey> fixed = List.copyOf(this.publicKeys);
				return (header, context) -> {
					if (!accepted.contains(header.getAlgorithm())) {
						return List.of();
					}
					List<Key> keys = new ArrayList<>();
					try {
						for (JWK jwk : source.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), context)) {
							PublicKey key = PublicKeys.toPublicKey(jwk);
							if (key != null && PublicKeys.fits(key, header.getAlgorithm())) {
								keys.add(key);
							}
						}
					}
					catch (KeySourceException ex) {
						if (fixed.isEmpty()) {
							throw ex;
						}
					}
					fixed.stream().filter((key) -> PublicKeys.fits(key, header.getAlgorithm())).forEach(keys::add);
					return keys;
				};
			}
			if (this.publicKeys.isEmpty()) {
				throw new IllegalStateException("a JWT decoder needs a JWKS URI or a public key");
			}
			List<PublicKey> fixed = List.copyOf(this.publicKeys);
			return (header, context) -> accepted.contains(header.getAlgorithm())
					? fixed.stream().filter((key) -> PublicKeys.fits(key, header.getAlgorithm())).toList()
					: List.of();
		}

		private OAuth2TokenValidator<Jwt> validator() {
			List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
			JwtTimestampValidator timestamps = new JwtTimestampValidator(this.clockSkew);
			timestamps.setAllowEmptyExpiryClaim(false);
			validators.add(timestamps);
			if (this.issuer != null) {
				validators.add(new JwtIssuerValidator(this.issuer));
			}
			if (!this.audiences.isEmpty()) {
				List<OAuth2TokenValidator<Jwt>> any = this.audiences.stream()
					.<OAuth2TokenValidator<Jwt>>map(JwtAudienceValidator::new)
					.toList();
				validators.add(anyOf(any));
			}
			return new DelegatingOAuth2TokenValidator<>(validators);
		}

		private static OAuth2TokenValidator<Jwt> anyOf(List<OAuth2TokenValidator<Jwt>> validators) {
			return (jwt) -> {
				var last = validators.get(0).validate(jwt);
				for (OAuth2TokenValidator<Jwt> validator : validators) {
					last = validator.validate(jwt);
					if (!last.hasErrors()) {
						return last;
					}
				}
				return last;
			};
		}

	}

}
