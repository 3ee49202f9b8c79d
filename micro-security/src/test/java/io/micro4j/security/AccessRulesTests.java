package io.micro4j.security;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AccessRulesTests {

	@RequiresScopes({ "orders.read", "orders.admin" })
	static class Orders {

		public Object list(Object request) {
			return request;
		}

		@RequiresScopes("orders.write")
		public Object create(Object request) {
			return request;
		}

	}

	interface Api {

		@RequiresScopes("api.call")
		Object call(Object request);

	}

	static class ApiImpl implements Api {

		@Override
		public Object call(Object request) {
			return request;
		}

	}

	@Test
	void whenAnnotatedThenMethodRulesAreExactAndTheClassRuleCoversTheRest() {
		AccessRules rules = AccessRules.annotated("Orders", Orders.class);
		assertThat(rules.ruleFor("Orders.Create").scopes()).containsExactly("orders.write");
		assertThat(rules.ruleFor("Orders.List").scopes()).containsExactlyInAnyOrder("orders.read", "orders.admin");
		assertThat(rules.find("Greeter.Hello")).isEmpty();
		assertThat(rules.ruleFor("Greeter.Hello")).isEqualTo(AccessRules.DEFAULT_RULE);
		assertThat(AccessRules.annotated("Api", ApiImpl.class).ruleFor("Api.Call").scopes())
			.containsExactly("api.call");
	}

	@Test
	void whenSeveralRulesMatchThenTheMostSpecificWinsAndTiesGoToTheFirst() {
		AccessRules rules = AccessRules.of(AccessRule.publicAccess("*"), AccessRule.scopes("Greeter.*", "g"),
				AccessRule.publicAccess("Greeter.Ping"), AccessRule.scopes("Greeter.Ping", "never"))
			.and(AccessRules.of(AccessRule.scopes("Greeter.*", "later")));
		assertThat(rules.ruleFor("Greeter.Ping").publicAccess()).isTrue();
		assertThat(rules.ruleFor("Greeter.Hello").scopes()).containsExactly("g");
		assertThat(rules.ruleFor("Health.Check").publicAccess()).isTrue();
		assertThat(AccessRule.scopes("events.*").matches("events.created")).isTrue();
		assertThat(AccessRule.scopes("Greeter.Hel*o").matches("Greeter.Hello")).isTrue();
		assertThat(AccessRule.scopes("Greeter.H").matches("Greeter.Hello")).isFalse();
		assertThat(AccessRule.scopes("Greeter.[a]").matches("Greeter.a")).isFalse();
	}

	@Test
	void whenARuleIsPublicAndScopedThenItIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new AccessRule("Greeter.*", Set.of("a"), true))
			.withMessage("rule Greeter.*: public and scopes [a] (expected: one or the other)");
		assertThatIllegalArgumentException().isThrownBy(() -> AccessRule.scopes(" "));
	}

}
