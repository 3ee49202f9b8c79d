package io.micro4j.spring.boot.autoconfigure.registry;

import io.micro4j.broker.Broker;
import io.micro4j.broker.memory.MemoryBroker;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class MicroRegistryAutoConfigurationTests {

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly();

	@Test
	void whenNothingIsConfiguredThenMemoryRegistryAndBrokerAreUsed() {
		this.runner.run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Registry.class)).isInstanceOf(MemoryRegistry.class);
			assertThat(context).getBean(Broker.class).isInstanceOf(MemoryBroker.class);
			assertThat(context.getBean(MicroRegistryAutoConfiguration.REGISTRY_CACHE_BEAN_NAME))
				.isInstanceOf(RegistryCache.class);
		});
	}

	@Test
	void whenRegistryTypeIsMemoryExplicitlyThenMemoryRegistryIsUsed() {
		this.runner.withPropertyValues("micro.registry.type=memory")
			.run(context -> assertThat(context.getBean(Registry.class)).isInstanceOf(MemoryRegistry.class));
	}

	@Test
	void whenUserDefinesRegistryBeanThenItIsUsed() {
		MemoryRegistry mine = new MemoryRegistry();
		this.runner.withBean("myRegistry", Registry.class, () -> mine).run(context -> {
			assertThat(context.getBean(Registry.class)).isSameAs(mine);
			assertThat(context).doesNotHaveBean("microRegistry");
			assertThat(context.getBeansOfType(Registry.class)).containsOnlyKeys("myRegistry",
					MicroRegistryAutoConfiguration.REGISTRY_CACHE_BEAN_NAME);
		});
	}

	@Test
	void whenRegistryIsInjectedByTypeThenTheRegistryItselfIsInjectedNotTheCache() {
		this.runner.withBean(RegistryUser.class).run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(RegistryUser.class).registry).isSameAs(context.getBean("microRegistry"))
				.isNotInstanceOf(RegistryCache.class);
		});
	}

	@Test
	void whenRegistryTypeIsUnknownThenStartupFailsWithHint() {
		this.runner.withClassLoader(new FilteredClassLoader(EtcdRegistry.class))
			.withPropertyValues("micro.registry.type=etcd")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("micro.registry.type")
					.hasMessageContaining("add the dependency io.micro4j:micro-registry-etcd");
			});
	}

	@Test
	void whenRegistryTypeIsNotAKnownNameThenStartupFailsListingTheSupportedTypes() {
		this.runner.withPropertyValues("micro.registry.type=zookeeper").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("zookeeper")
				.hasMessageContaining("expected: memory, etcd, consul");
		});
	}

	@Test
	void whenRegistryTypeIsUnknownButUserDefinesRegistryBeanThenStartupSucceeds() {
		MemoryRegistry mine = new MemoryRegistry();
		this.runner.withPropertyValues("micro.registry.type=etcd")
			.withBean(Registry.class, () -> mine)
			.run(context -> assertThat(context.getBean(Registry.class)).isSameAs(mine));
	}

	static class RegistryUser {

		final Registry registry;

		@Autowired
		RegistryUser(Registry registry) {
			this.registry = registry;
		}

	}

}
