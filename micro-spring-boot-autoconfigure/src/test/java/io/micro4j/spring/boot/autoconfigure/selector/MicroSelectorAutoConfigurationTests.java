package io.micro4j.spring.boot.autoconfigure.selector;

import io.micro4j.selector.DefaultSelector;
import io.micro4j.selector.Selector;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class MicroSelectorAutoConfigurationTests {

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly();

	@Test
	void whenNothingIsConfiguredThenDefaultSelectorIsCreated() {
		this.runner.run(context -> assertThat(context).getBean(Selector.class).isInstanceOf(DefaultSelector.class));
	}

	@Test
	void whenStrategyIsRoundRobinThenStartupSucceeds() {
		this.runner.withPropertyValues("micro.selector.strategy=round-robin")
			.run(context -> assertThat(context).hasSingleBean(Selector.class));
	}

	@Test
	void whenStrategyIsUnknownThenStartupFailsListingTheStrategies() {
		this.runner.withPropertyValues("micro.selector.strategy=fastest").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("micro.selector.strategy")
				.hasMessageContaining("random, round-robin, least-request");
		});
	}

	@Test
	void whenUserDefinesSelectorBeanThenItIsUsed() {
		Selector mine = new FixedSelector();
		this.runner.withBean(Selector.class, () -> mine).run(context -> {
			assertThat(context).hasSingleBean(Selector.class);
			assertThat(context.getBean(Selector.class)).isSameAs(mine);
		});
	}

	static final class FixedSelector implements Selector {

		@Override
		public io.micro4j.selector.Next select(String service, io.micro4j.selector.SelectOptions options) {
			throw new io.micro4j.selector.NoneAvailableException(service);
		}

		@Override
		public void mark(String service, io.micro4j.registry.Node node, Throwable error) {
		}

		@Override
		public void reset(String service) {
		}

		@Override
		public void close() {
		}

	}

}
