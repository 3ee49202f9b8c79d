package io.micro4j.spring.boot.autoconfigure.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/** The etcd registry is chosen by {@code micro.registry.type=etcd}; it connects lazily, so no etcd is needed here. */
class EtcdRegistryConfigurationTests {

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly()
		.withPropertyValues("micro.registry.type=etcd");

	@Test
	void whenRegistryTypeIsEtcdThenEtcdRegistryIsCreated() {
		this.runner.withPropertyValues("micro.registry.address=127.0.0.1:23790").run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Registry.class)).isInstanceOf(EtcdRegistry.class);
			assertThat(context.getBean(EtcdRegistry.class).endpoints()).isEqualTo("http://127.0.0.1:23790");
			assertThat(context.getBean(EtcdRegistry.class).name()).isEqualTo("etcd");
			assertThat(context.getBean(MicroRegistryAutoConfiguration.REGISTRY_CACHE_BEAN_NAME))
				.isInstanceOf(RegistryCache.class);
		});
	}

	@Test
	void whenNoAddressIsSetThenEtcdsDefaultEndpointIsUsed() {
		this.runner.run(context -> assertThat(context.getBean(EtcdRegistry.class).endpoints())
			.isEqualTo("http://127.0.0.1:2379"));
	}

	@Test
	void whenAddressListsSeveralEndpointsThenAllAreUsed() {
		this.runner.withPropertyValues("micro.registry.address=10.0.0.1:2379, 10.0.0.2:2379,https://etcd-3:2379")
			.run(context -> assertThat(context.getBean(EtcdRegistry.class).endpoints())
				.isEqualTo("http://10.0.0.1:2379,http://10.0.0.2:2379,https://etcd-3:2379"));
	}

	@Test
	void whenEtcdSettingsAreSetThenTheyBind() {
		Map<String, String> values = Map.of("micro.registry.etcd.timeout", "2s", "micro.registry.etcd.username", "root",
				"micro.registry.etcd.password", "secret", "micro.registry.etcd.prefix", "/other/registry/",
				"micro.registry.etcd.tls.ca-file", "/etc/etcd/ca.pem", "micro.registry.etcd.tls.cert-file",
				"/etc/etcd/client.pem", "micro.registry.etcd.tls.key-file", "/etc/etcd/client-key.pem");
		MicroRegistryProperties.Etcd etcd = new Binder(new MapConfigurationPropertySource(values))
			.bindOrCreate("micro.registry", Bindable.of(MicroRegistryProperties.class))
			.getEtcd();

		assertThat(etcd.getTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(etcd.getUsername()).isEqualTo("root");
		assertThat(etcd.getPassword()).isEqualTo("secret");
		assertThat(etcd.getPrefix()).isEqualTo("/other/registry/");
		assertThat(etcd.getTls().getCaFile()).isEqualTo("/etc/etcd/ca.pem");
		assertThat(etcd.getTls().getCertFile()).isEqualTo("/etc/etcd/client.pem");
		assertThat(etcd.getTls().getKeyFile()).isEqualTo("/etc/etcd/client-key.pem");
	}

	@Test
	void whenNothingIsSetThenTheEtcdDefaultsAreGoMicros() {
		MicroRegistryProperties.Etcd etcd = new MicroRegistryProperties().getEtcd();

		assertThat(etcd.getTimeout()).isEqualTo(EtcdRegistry.DEFAULT_TIMEOUT);
		assertThat(etcd.getPrefix()).isEqualTo(EtcdRegistry.DEFAULT_PREFIX);
		assertThat(etcd.getUsername()).isNull();
	}

	@Test
	void whenTheCaFileDoesNotExistThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("micro.registry.etcd.tls.ca-file=/no/such/ca.pem").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.hasMessage("trustCertificates: /no/such/ca.pem (expected: a readable PEM file)");
		});
	}

	@Test
	void whenOnlyAUsernameIsSetThenStartupFailsSayingBothAreNeeded() {
		this.runner.withPropertyValues("micro.registry.etcd.username=root").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().rootCause().hasMessageContaining("username and password");
		});
	}

	@Test
	void whenCustomizerBeansExistThenTheyAreAppliedInOrder() {
		List<String> applied = new CopyOnWriteArrayList<>();
		this.runner.withBean("second", EtcdRegistryBuilderCustomizer.class, () -> new Second(applied))
			.withBean("first", EtcdRegistryBuilderCustomizer.class, () -> new First(applied))
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(applied).containsExactly("first", "second");
			});
	}

	@Test
	void whenEtcdModuleIsMissingThenStartupFailsNamingIt() {
		this.runner.withClassLoader(new FilteredClassLoader(EtcdRegistry.class)).run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("io.micro4j:micro-registry-etcd");
		});
	}

	@Test
	void whenUserDefinesRegistryBeanThenNoEtcdRegistryIsCreated() {
		MemoryRegistry mine = new MemoryRegistry();
		this.runner.withBean(Registry.class, () -> mine).run(context -> {
			assertThat(context.getBean(Registry.class)).isSameAs(mine);
			assertThat(context).doesNotHaveBean(EtcdRegistry.class);
		});
	}

	@Order(1)
	record First(List<String> applied) implements EtcdRegistryBuilderCustomizer {

		@Override
		public void customize(EtcdRegistry.Builder builder) {
			this.applied.add("first");
		}

	}

	@Order(2)
	record Second(List<String> applied) implements EtcdRegistryBuilderCustomizer {

		@Override
		public void customize(EtcdRegistry.Builder builder) {
			this.applied.add("second");
		}

	}

}
