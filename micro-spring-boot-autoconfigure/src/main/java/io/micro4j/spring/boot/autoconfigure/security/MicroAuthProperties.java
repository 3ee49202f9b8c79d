package io.micro4j.spring.boot.autoconfigure.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of bearer-token authentication of incoming calls and messages ({@code micro.auth.*}): how tokens are
 * verified and which endpoints need which scopes.
 */
@ConfigurationProperties("micro.auth")
public class MicroAuthProperties {

	/**
	 * Whether incoming calls (and messages to subscribers) must carry a valid bearer token; endpoints without a rule
	 * then need an authenticated caller.
	 */
	private boolean enabled;

	/**
	 * How tokens are verified.
	 */
	private final Jwt jwt = new Jwt();

	/**
	 * Access rules by endpoint (or topic) pattern; the most specific matching rule applies, and these win ties with
	 * rules from @RequiresScopes annotations.
	 */
	private List<Rule> rules = new ArrayList<>();

	/**
	 * Whether messages delivered to subscribers are checked too, with the rule for their topic.
	 */
	private boolean subscribers = true;

	/**
	 * The window in which refusals of one caller are logged once.
	 */
	private Duration logWindow = Duration.ofSeconds(60);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Jwt getJwt() {
		return this.jwt;
	}

	public List<Rule> getRules() {
		return this.rules;
	}

	public void setRules(List<Rule> rules) {
		this.rules = rules;
	}

	public boolean isSubscribers() {
		return this.subscribers;
	}

	public void setSubscribers(boolean subscribers) {
		this.subscribers = subscribers;
	}

	public Duration getLogWindow() {
		return this.logWindow;
	}

	public void setLogWindow(Duration logWindow) {
		this.logWindow = logWindow;
	}

	/** Token verification. */
	public static class Jwt {

		/**
		 * The URI of the JWK set publishing the token signing keys.
		 */
		private @Nullable String jwkSetUri;

		/**
		 * Where a PEM public key that signs tokens is read from (RSA, EC or Ed25519; go-micro's base64-encoded PEM is
		 * accepted too), e.g. classpath:auth.pub or file:/etc/micro/auth.pub.
		 */
		private @Nullable String publicKeyLocation;

		/**
		 * The issuer (iss claim) every token must name; not checked when unset.
		 */
		private @Nullable String issuer;

		/**
		 * The audiences of which a token's aud claim must name one; not checked when empty.
		 */
		private List<String> audiences = new ArrayList<>();

		/**
		 * The leeway on the exp and nbf claims.
		 */
		private Duration clockSkew = Duration.ofSeconds(60);

		/**
		 * The accepted signature algorithms; all asymmetric ones (RS*, PS*, ES*, EdDSA) when empty.
		 */
		private List<String> algorithms = new ArrayList<>();

		public @Nullable String getJwkSetUri() {
			return this.jwkSetUri;
		}

		public void setJwkSetUri(@Nullable String jwkSetUri) {
			this.jwkSetUri = jwkSetUri;
		}

		public @Nullable String getPublicKeyLocation() {
			return this.publicKeyLocation;
		}

		public void setPublicKeyLocation(@Nullable String publicKeyLocation) {
			this.publicKeyLocation = publicKeyLocation;
		}

		public @Nullable String getIssuer() {
			return this.issuer;
		}

		public void setIssuer(@Nullable String issuer) {
			this.issuer = issuer;
		}

		public List<String> getAudiences() {
			return this.audiences;
		}

		public void setAudiences(List<String> audiences) {
			this.audiences = audiences;
		}

		public Duration getClockSkew() {
			return this.clockSkew;
		}

		public void setClockSkew(Duration clockSkew) {
			this.clockSkew = clockSkew;
		}

		public List<String> getAlgorithms() {
			return this.algorithms;
		}

		public void setAlgorithms(List<String> algorithms) {
			this.algorithms = algorithms;
		}

	}

	/** One access rule: {@code endpoint} plus either {@code scopes} or {@code public}. */
	public static class Rule {

		/**
		 * The endpoint (e.g. Greeter.Hello) or topic, where * stands for any characters (Greeter.*, *).
		 */
		private @Nullable String endpoint;

		/**
		 * The scopes of which a caller needs one; any authenticated caller when empty.
		 */
		private List<String> scopes = new ArrayList<>();

		/**
		 * Whether anybody may call, without a token.
		 */
		private boolean publicAccess;

		public @Nullable String getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(@Nullable String endpoint) {
			this.endpoint = endpoint;
		}

		public List<String> getScopes() {
			return this.scopes;
		}

		public void setScopes(List<String> scopes) {
			this.scopes = scopes;
		}

		/** Whether anybody may call ({@code micro.auth.rules[n].public}). */
		public boolean isPublic() {
			return this.publicAccess;
		}

		public void setPublic(boolean publicAccess) {
			this.publicAccess = publicAccess;
		}

	}

}
