package io.micro4j.spring.boot.autoconfigure.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.consul.ConsulRegistry;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The Consul registry is chosen by {@code micro.registry.type=consul}; it connects lazily, so no agent is needed. */
class ConsulRegistryConfigurationTests {

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly()
		.withPropertyValues("micro.registry.type=consul");

	@Test
	void whenRegistryTypeIsConsulThenConsulRegistryIsCreatedOnTheAddress() {
		this.runner.withPropertyValues("micro.registry.address=10.0.0.7:8501").run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Registry.class)).isInstanceOf(ConsulRegistry.class);
			assertThat(context.getBean(ConsulRegistry.class).address()).hasToString("http://10.0.0.7:8501/");
			assertThat(context.getBean(ConsulRegistry.class).name()).isEqualTo("consul");
			assertThat(context.getBean(MicroRegistryAutoConfiguration.REGISTRY_CACHE_BEAN_NAME))
				.isInstanceOf(RegistryCache.class);
		});
	}

	@Test
	void whenNoAddressIsSetThenTheLocalAgentIsUsed() {
		this.runner.run(context -> assertThat(context.getBean(ConsulRegistry.class).address())
			.hasToString("http://127.0.0.1:8500/"));
	}

	@Test
	void whenTlsIsEnabledThenTheAgentIsCalledOverHttps() {
		this.runner.withPropertyValues("micro.registry.address=consul.local:8501", "micro.registry.consul.tls.enabled=true")
			.run(context -> assertThat(context.getBean(ConsulRegistry.class).address())
				.hasToString("https://consul.local:8501/"));
	}

	@Test
	void whenSeveralAddressesAreSetThenStartupFailsAskingForOne() {
		this.runner.withPropertyValues("micro.registry.address=10.0.0.1:8500,10.0.0.2:8500").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().rootCause().hasMessageContaining("expected: one Consul agent address");
		});
	}

	@Test
	void whenTheWaitIsZeroThenStartupFailsWithTheExpectation() {
		this.runner.withPropertyValues("micro.registry.consul.wait=0s").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().rootCause().hasMessage("wait: PT0S (expected: > 0)");
		});
	}

	@Test
	void whenConsulSettingsAreSetThenTheyBind() {
		Map<String, String> values = Map.of("micro.registry.consul.token", "acl-token",
				"micro.registry.consul.timeout", "2s", "micro.registry.consul.wait", "30s",
				"micro.registry.consul.heartbeat", "1s", "micro.registry.consul.recovery-grace", "3s",
				"micro.registry.consul.tls.enabled", "true", "micro.registry.consul.tls.ca-file", "/etc/consul/ca.pem");
		MicroRegistryProperties.Consul consul = new Binder(new MapConfigurationPropertySource(values))
			.bindOrCreate("micro.registry", Bindable.of(MicroRegistryProperties.class))
			.getConsul();

		assertThat(consul.getToken()).isEqualTo("acl-token");
		assertThat(consul.getTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(consul.getWait()).isEqualTo(Duration.ofSeconds(30));
		assertThat(consul.getHeartbeat()).isEqualTo(Duration.ofSeconds(1));
		assertThat(consul.getRecoveryGrace()).isEqualTo(Duration.ofSeconds(3));
		assertThat(consul.getTls().isEnabled()).isTrue();
		assertThat(consul.getTls().getCaFile()).isEqualTo("/etc/consul/ca.pem");
	}

	@Test
	void whenNothingIsSetThenTheConsulDefaultsAreTheRegistrysOwn() {
		MicroRegistryProperties.Consul consul = new MicroRegistryProperties().getConsul();

		assertThat(consul.getTimeout()).isEqualTo(ConsulRegistry.DEFAULT_TIMEOUT);
		assertThat(consul.getWait()).isEqualTo(ConsulRegistry.DEFAULT_WAIT);
		assertThat(consul.getHeartbeat()).isEqualTo(ConsulRegistry.DEFAULT_HEARTBEAT);
		assertThat(consul.getRecoveryGrace()).isEqualTo(ConsulRegistry.DEFAULT_RECOVERY_GRACE);
		assertThat(consul.getToken()).isNull();
		assertThat(consul.getTls().isEnabled()).isFalse();
	}

	@Test
	void whenCustomizerBeansExistThenTheyAreAppliedInOrder() {
		List<String> applied = new CopyOnWriteArrayList<>();
		this.runner
			.withBean("late", ConsulRegistryBuilderCustomizer.class, () -> new Ordered(2, "late", applied))
			.withBean("early", ConsulRegistryBuilderCustomizer.class, () -> new Ordered(1, "early", applied))
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(applied).containsExactly("early", "late");
			});
	}

	@Test
	void whenConsulModuleIsMissingThenStartupFailsNamingIt() {
		this.runner.withClassLoader(new FilteredClassLoader(ConsulRegistry.class)).run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("io.micro4j:micro-registry-consul");
		});
	}

	@Test
	void whenUserDefinesRegistryBeanThenNoConsulRegistryIsCreated() {
		MemoryRegistry mine = new MemoryRegistry();
		this.runner.withBean(Registry.class, () -> mine).run(context -> {
			assertThat(context.getBean(Registry.class)).isSameAs(mine);
			assertThat(context).doesNotHaveBean(ConsulRegistry.class);
		});
	}

	record Ordered(int order, String label, List<String> applied)
			implements ConsulRegistryBuilderCustomizer, org.springframework.core.Ordered {

		@Override
		public void customize(ConsulRegistry.Builder builder) {
			this.applied.add(this.label);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

}
