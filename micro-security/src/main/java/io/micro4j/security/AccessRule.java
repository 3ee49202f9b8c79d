package io.micro4j.security;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One access rule: which callers may reach the endpoints (or, for subscribers, the topics) whose name matches
 * {@code pattern}.
 * <p>
 * The pattern is an endpoint name such as {@code Greeter.Hello}, where {@code *} stands for any run of characters
 * ({@code Greeter.*}, {@code *}). A public rule lets anybody in, with or without a token; otherwise the caller needs a
 * valid token and, when {@code scopes} is not empty, at least one of them.
 *
 * @param pattern the endpoint or topic pattern
 * @param scopes the scopes of which the caller needs one; empty: any authenticated caller
 * @param publicAccess whether no token is needed
 */
public record AccessRule(String pattern, Set<String> scopes, boolean publicAccess) {

	public AccessRule {
		Objects.requireNonNull(pattern, "pattern");
		if (pattern.isBlank()) {
			throw new IllegalArgumentException("pattern: '" + pattern + "' (expected: an endpoint name or pattern)");
		}
		pattern = pattern.trim();
		scopes = Set.copyOf(scopes);
		if (publicAccess && !scopes.isEmpty()) {
			throw new IllegalArgumentException(
					"rule " + pattern + ": public and scopes " + scopes + " (expected: one or the other)");
		}
	}

	/** A rule letting anybody reach {@code pattern}. */
	public static AccessRule publicAccess(String pattern) {
		return new AccessRule(pattern, Set.of(), true);
	}

	/** A rule asking for a valid token granting one of {@code scopes} (any valid token when none). */
	public static AccessRule scopes(String pattern, String... scopes) {
		return new AccessRule(pattern, Set.of(scopes), false);
	}

	/** A rule asking for a valid token granting one of {@code scopes} (any valid token when empty). */
	public static AccessRule scopes(String pattern, List<String> scopes) {
		return new AccessRule(pattern, Set.copyOf(scopes), false);
	}

	/** Whether {@code name} (an endpoint or topic) matches the pattern. */
	public boolean matches(String name) {
		if (this.pattern.indexOf('*') < 0) {
			return this.pattern.equals(name);
		}
		StringBuilder regex = new StringBuilder();
		for (String part : this.pattern.split("\\*", -1)) {
			if (!regex.isEmpty()) {
				regex.append(".*");
			}
			regex.append(Pattern.quote(part));
		}
		return name.matches(regex.toString());
	}

	/** How specific the pattern is: an exact name beats every pattern; else more literal characters win. */
	int specificity() {
		int literal = this.pattern.replace("*", "").length();
		return (this.pattern.indexOf('*') < 0) ? Integer.MAX_VALUE : literal;
	}

	@Override
	public String toString() {
		return this.pattern + (this.publicAccess ? " public" : " scopes " + this.scopes);
	}

}
