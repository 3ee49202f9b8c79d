package io.micro4j.security;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The authenticated caller of a call or message, taken from its verified JWT (go-micro's {@code auth.Account}):
 * the subject ({@code sub}: go-micro's account id), the account type (go-micro's {@code type} claim: {@code user},
 * {@code service}, ...; empty when absent), the scopes and the string metadata (go-micro's {@code metadata} claim).
 * <p>
 * The scopes are the union of the OAuth2 {@code scope} claim (a space-separated string or a list), the {@code scp}
 * claim (Azure AD, Okta) and go-micro's {@code scopes} array, so a token from an OAuth2 authorization server and a
 * token issued by go-micro's auth are understood alike. The token itself is never kept.
 *
 * @param subject the {@code sub} claim; empty when the token has none
 * @param type go-micro's account type; empty when the token has none
 * @param issuer the {@code iss} claim; empty when the token has none
 * @param scopes the granted scopes, in the token's order
 * @param metadata go-micro's account metadata (string values only)
 * @param expiresAt the {@code exp} claim, if any
 */
public record AuthPrincipal(String subject, String type, String issuer, Set<String> scopes,
		Map<String, String> metadata, Optional<Instant> expiresAt) {

	public AuthPrincipal {
		Objects.requireNonNull(subject, "subject");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(issuer, "issuer");
		scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
		metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
		Objects.requireNonNull(expiresAt, "expiresAt");
	}

	/** The principal a verified {@code jwt} describes; see the class comment for the claims read. */
	public static AuthPrincipal from(Jwt jwt) {
		Set<String> scopes = new LinkedHashSet<>();
		addScopes(scopes, jwt.getClaims().get("scope"));
		addScopes(scopes, jwt.getClaims().get("scp"));
		addScopes(scopes, jwt.getClaims().get("scopes"));
		Map<String, String> metadata = new LinkedHashMap<>();
		if (jwt.getClaims().get("metadata") instanceof Map<?, ?> map) {
			map.forEach((key, value) -> {
				if (key != null && value != null) {
					metadata.put(key.toString(), value.toString());
				}
			});
		}
		return new AuthPrincipal(text(jwt.getSubject()), text(jwt.getClaims().get("type")),
				text(jwt.getClaims().get("iss")), scopes, metadata, Optional.ofNullable(jwt.getExpiresAt()));
	}

	/** Whether the principal was granted {@code scope}. */
	public boolean hasScope(String scope) {
		return this.scopes.contains(scope);
	}

	/** Whether the principal was granted at least one of {@code required}; {@code true} when it is empty. */
	public boolean hasAnyScope(Collection<String> required) {
		return required.isEmpty() || required.stream().anyMatch(this.scopes::contains);
	}

	private static void addScopes(Set<String> scopes, @Nullable Object claim) {
		if (claim instanceof String text) {
			for (String scope : text.trim().split("\\s+")) {
				if (!scope.isEmpty()) {
					scopes.add(scope);
				}
			}
		}
		else if (claim instanceof Collection<?> list) {
			for (Object scope : list) {
				if (scope != null && !scope.toString().isBlank()) {
					scopes.add(scope.toString().trim());
				}
			}
		}
	}

	private static String text(@Nullable Object value) {
		return (value != null) ? value.toString() : "";
	}

}
