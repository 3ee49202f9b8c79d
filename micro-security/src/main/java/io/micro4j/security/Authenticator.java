package io.micro4j.security;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Metadata;
import io.micro4j.security.internal.DenialLog;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Decides whether a caller may reach an endpoint or topic, as go-micro's auth wrapper does: reads
 * {@code Authorization: Bearer <token>} from the incoming metadata, verifies the token with a {@link JwtDecoder},
 * maps it to an {@link AuthPrincipal} and applies the {@link AccessRule} for the name ({@link AccessRules#ruleFor}).
 * <ul>
 * <li>public rule: allowed; a valid token still yields its principal, an invalid one is ignored (go-micro does the
 * same);</li>
 * <li>no token, a header without the {@code Bearer} scheme, or a token that does not verify (bad signature, another
 * key, {@code alg: none}, tampered, expired, wrong issuer or audience): go-micro's 401
 * {@code {"id":"<service>","code":401,"detail":"Unauthorized call made to <service>:<endpoint>: ...","status":"Unauthorized"}};</li>
 * <li>a valid token without one of the rule's scopes: go-micro's 403
 * {@code "Forbidden call made to <service>:<endpoint> by <subject>"};</li>
 * <li>the signing keys cannot be had (a JWKS URI unreachable or serving garbage): a 503 with the service as id,
 * logged once per window, so callers retry elsewhere instead of being told their token is bad.</li>
 * </ul>
 * Refusals are logged at WARN once per caller and kind within {@link Builder#logWindow} (logger
 * {@code io.micro4j.security}); neither a log line nor an error detail ever holds the token.
 * <p>
 * One authenticator serves the {@link AuthHandlerWrapper} and the {@link AuthSubscriberWrapper}. Thread-safe.
 */
public final class Authenticator {

	/** The default window in which a caller's refusals of one kind are logged once: {@value} seconds. */
	public static final long DEFAULT_LOG_WINDOW_SECONDS = 60;

	private static final Logger logger = LoggerFactory.getLogger("io.micro4j.security");

	private final JwtDecoder decoder;

	private final Supplier<AccessRules> rulesSupplier;

	private volatile @Nullable AccessRules rules;

	private final Map<String, AccessRule> resolved = new ConcurrentHashMap<>();

	private final DenialLog denials;

	private Authenticator(Builder builder) {
		this.decoder = builder.decoder;
		this.rulesSupplier = builder.rules;
		this.denials = new DenialLog(logger, builder.logWindow);
	}

	/** A builder verifying tokens with {@code decoder} (see {@link MicroJwtDecoders}). */
	public static Builder builder(JwtDecoder decoder) {
		return new Builder(decoder);
	}

	/** The rules in force (resolved from the supplier on first use). */
	public AccessRules rules() {
		AccessRules current = this.rules;
		if (current == null) {
			synchronized (this) {
				current = this.rules;
				if (current == null) {
					current = Objects.requireNonNull(this.rulesSupplier.get(), "rules");
					this.rules = current;
					logger.debug("access rules: {}", current);
				}
			}
		}
		return current;
	}

	/**
	 * Checks one call or message.
	 * @param service the service, used as go-micro uses it: the error's id and in its detail
	 * @param name the endpoint ({@code Greeter.Hello}) or topic whose rule applies
	 * @param headers the incoming metadata
	 * @param caller who called, for the log: the remote host or the topic; never the token
	 * @return the caller's principal; empty for an anonymous caller of a public endpoint
	 * @throws MicroException a 401 or a 403 as go-micro answers them
	 */
	public Optional<AuthPrincipal> authenticate(String service, String name, Metadata headers, String caller) {
		AccessRule rule = this.resolved.computeIfAbsent(name, (key) -> rules().ruleFor(key));
		Optional<String> header = headers.get(MicroAuth.AUTHORIZATION).map(String::trim).filter((v) -> !v.isEmpty());
		if (header.isEmpty()) {
			if (rule.publicAccess()) {
				return Optional.empty();
			}
			throw unauthorized(service, name, caller, "no token", "no token");
		}
		String value = header.get();
		if (!value.regionMatches(true, 0, MicroAuth.BEARER_PREFIX, 0, MicroAuth.BEARER_PREFIX.length())) {
			if (rule.publicAccess()) {
				return Optional.empty();
			}
			throw unauthorized(service, name, caller, "invalid authorization header, expected Bearer schema",
					"not a Bearer token");
		}
		String token = value.substring(MicroAuth.BEARER_PREFIX.length()).trim();
		AuthPrincipal principal;
		try {
			Jwt jwt = this.decoder.decode(token);
			principal = AuthPrincipal.from(jwt);
		}
		catch (BadJwtException ex) {
			if (rule.publicAccess()) {
				return Optional.empty();
			}
			throw unauthorized(service, name, caller, shortReason(ex), reason(ex, token));
		}
		catch (JwtException ex) {
			// not the token's fault: the signing keys could not be had (JWKS unreachable or broken)
			if (rule.publicAccess()) {
				return Optional.empty();
			}
			this.denials.denied("503", "keys", "auth: cannot verify tokens, the signing keys are unavailable: "
					+ reason(ex, token));
			throw new MicroException(service, 503,
					"cannot verify the token of " + service + ":" + name + " now: signing keys unavailable");
		}
		if (!rule.publicAccess() && !principal.hasAnyScope(rule.scopes())) {
			String subject = principal.subject().isEmpty() ? "(no subject)" : principal.subject();
			this.denials.denied("403", subject,
					"auth: refused " + service + " " + name + " to " + subject + " from " + caller
							+ ": missing scope (needs one of " + rule.scopes() + ", has " + principal.scopes() + ")");
			throw new MicroException(service, 403, "Forbidden call made to " + service + ":" + name + " by " + subject);
		}
		return Optional.of(principal);
	}

	private MicroException unauthorized(String service, String name, String caller, String detail, String reason) {
		this.denials.denied("401", caller,
				"auth: refused " + service + " " + name + " from " + caller + ": " + reason);
		return new MicroException(service, 401, "Unauthorized call made to " + service + ":" + name + ": " + detail);
	}

	/** What the caller is told: never the decoder's text, which may quote claims. */
	private static String shortReason(JwtException ex) {
		if (ex instanceof JwtValidationException validation) {
			boolean expired = validation.getErrors()
				.stream()
				.anyMatch((error) -> error.getDescription() != null
						&& error.getDescription().toLowerCase(Locale.ROOT).contains("expired"));
			return expired ? "token expired" : "token not valid here (issuer, audience or validity)";
		}
		return "invalid token";
	}

	/** What the log says: the decoder's reason, with the token (or any long run of it) cut out. */
	private static String reason(JwtException ex, String token) {
		String text = String.valueOf(ex.getMessage());
		if (!token.isEmpty()) {
			text = text.replace(token, "<token>");
			for (String part : token.split("\\.")) {
				if (part.length() >= 8) {
					text = text.replace(part, "<token part>");
				}
			}
		}
		return text;
	}

	/** Options of an {@link Authenticator}. */
	public static final class Builder {

		private final JwtDecoder decoder;

		private Supplier<AccessRules> rules = AccessRules::none;

		private Duration logWindow = Duration.ofSeconds(DEFAULT_LOG_WINDOW_SECONDS);

		private Builder(JwtDecoder decoder) {
			this.decoder = Objects.requireNonNull(decoder, "decoder");
		}

		/** The rules; without, every endpoint needs an authenticated caller. */
		public Builder rules(AccessRules rules) {
			Objects.requireNonNull(rules, "rules");
			this.rules = () -> rules;
			return this;
		}

		/**
		 * The rules, asked for once, at the first call: for rules that depend on handlers registered after the
		 * authenticator is built (annotations).
		 */
		public Builder rules(Supplier<AccessRules> rules) {
			this.rules = Objects.requireNonNull(rules, "rules");
			return this;
		}

		/** The window in which a caller's refusals of one kind are logged once; 60 s by default. */
		public Builder logWindow(Duration logWindow) {
			if (logWindow.isNegative()) {
				throw new IllegalArgumentException("logWindow: " + logWindow + " (expected: >= 0)");
			}
			this.logWindow = logWindow;
			return this;
		}

		public Authenticator build() {
			return new Authenticator(this);
		}

	}

}
