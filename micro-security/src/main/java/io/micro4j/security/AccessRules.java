package io.micro4j.security;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * An ordered set of {@link AccessRule}s and the rule that applies to an endpoint or topic: of the rules whose pattern
 * matches, the most specific (an exact name, else the pattern with the most literal characters); among equally
 * specific ones, the first. A name no rule matches needs an authenticated caller ({@link #DEFAULT_RULE}'s meaning).
 * <p>
 * Immutable; {@link #and(AccessRules)} appends, so rules listed first win ties: the Spring Boot wiring puts
 * {@code micro.auth.rules} before the rules found on annotations.
 */
public final class AccessRules {

	/** What applies when no rule matches: any authenticated caller. */
	public static final AccessRule DEFAULT_RULE = AccessRule.scopes("*");

	private static final AccessRules NONE = new AccessRules(List.of());

	private final List<AccessRule> rules;

	private AccessRules(List<AccessRule> rules) {
		this.rules = List.copyOf(rules);
	}

	/** No rules: every endpoint needs an authenticated caller. */
	public static AccessRules none() {
		return NONE;
	}

	/** The rules, in the order given. */
	public static AccessRules of(AccessRule... rules) {
		return new AccessRules(List.of(rules));
	}

	/** The rules, in the order given. */
	public static AccessRules of(List<AccessRule> rules) {
		return new AccessRules(rules);
	}

	/**
	 * The rules that {@link RequiresScopes} annotations state for the handler {@code handlerType} registered as
	 * {@code handlerName}: one per annotated public method ({@code <handlerName>.<Method>}, method name capitalised as
	 * endpoints are), and {@code <handlerName>.*} for an annotated class. Annotations on the methods an interface
	 * declares count too. Empty when nothing is annotated.
	 */
	public static AccessRules annotated(String handlerName, Class<?> handlerType) {
		Class<?> type = userClass(handlerType);
		List<AccessRule> rules = new ArrayList<>();
		for (Method method : type.getMethods()) {
			if (Modifier.isStatic(method.getModifiers()) || method.getDeclaringClass() == Object.class) {
				continue;
			}
			RequiresScopes annotation = findAnnotation(type, method);
			if (annotation != null) {
				rules.add(AccessRule.scopes(handlerName + "." + capitalize(method.getName()), annotation.value()));
			}
		}
		rules.sort((a, b) -> a.pattern().compareTo(b.pattern()));
		RequiresScopes onType = type.getAnnotation(RequiresScopes.class);
		if (onType != null) {
			rules.add(AccessRule.scopes(handlerName + ".*", onType.value()));
		}
		return new AccessRules(rules);
	}

	/** These rules followed by {@code others}. */
	public AccessRules and(AccessRules others) {
		List<AccessRule> all = new ArrayList<>(this.rules);
		all.addAll(others.rules);
		return new AccessRules(all);
	}

	/** The rules in order. */
	public List<AccessRule> rules() {
		return this.rules;
	}

	/** The rule for {@code name}: the most specific match; empty when none matches. */
	public Optional<AccessRule> find(String name) {
		AccessRule best = null;
		for (AccessRule rule : this.rules) {
			if (rule.matches(name) && (best == null || rule.specificity() > best.specificity())) {
				best = rule;
			}
		}
		return Optional.ofNullable(best);
	}

	/** The rule for {@code name}, {@link #DEFAULT_RULE} when none matches. */
	public AccessRule ruleFor(String name) {
		return find(name).orElse(DEFAULT_RULE);
	}

	@Override
	public String toString() {
		return this.rules.toString();
	}

	private static @Nullable RequiresScopes findAnnotation(Class<?> type, Method method) {
		RequiresScopes found = method.getAnnotation(RequiresScopes.class);
		if (found != null) {
			return found;
		}
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			for (Class<?> iface : candidate.getInterfaces()) {
				try {
					found = iface.getMethod(method.getName(), method.getParameterTypes())
						.getAnnotation(RequiresScopes.class);
				}
				catch (NoSuchMethodException ex) {
					continue;
				}
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	private static Class<?> userClass(Class<?> type) {
		Class<?> c = type;
		while (c.getName().contains("$$") && c.getSuperclass() != null && c.getSuperclass() != Object.class) {
			c = c.getSuperclass();
		}
		return c;
	}

	private static String capitalize(String name) {
		return name.isEmpty() ? name : name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
	}

}
