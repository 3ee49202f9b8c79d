package io.micro4j.spring.boot.autoconfigure.broker;

import io.micro4j.broker.Broker;
import io.micro4j.broker.memory.MemoryBroker;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class MicroBrokerAutoConfigurationTests {

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly();

	@Test
	void whenNothingIsConfiguredThenMemoryBrokerIsUsed() {
		this.runner.run(context -> assertThat(context).getBean(Broker.class).isInstanceOf(MemoryBroker.class));
	}

	@Test
	void whenUserDefinesBrokerBeanThenItIsUsed() {
		MemoryBroker mine = new MemoryBroker();
		this.runner.withBean("myBroker", Broker.class, () -> mine).run(context -> {
			assertThat(context).hasSingleBean(Broker.class);
			assertThat(context.getBean(Broker.class)).isSameAs(mine);
		});
	}

	@Test
	void whenBrokerTypeIsNatsWithoutItsModuleThenStartupFailsWithHint() {
		this.runner.withPropertyValues("micro.broker.type=nats").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("micro.broker.type")
				.hasMessageContaining("add the dependency io.micro4j:micro-broker-nats");
		});
	}

	@Test
	void whenBrokerTypeIsNotAKnownNameThenStartupFailsListingTheSupportedTypes() {
		this.runner.withPropertyValues("micro.broker.type=kafka").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().rootCause().hasMessageContaining("expected: memory, nats, rabbitmq");
		});
	}

}
