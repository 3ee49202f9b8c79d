package io.micro4j.spring.boot.autoconfigure.cloud;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import io.micro4j.spring.cloud.MicroDiscoveryClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the Spring Cloud discovery client exists, and what it sees of services registered in the memory registry.
 */
class MicroDiscoveryClientAutoConfigurationTests {

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly()
		.withConfiguration(AutoConfigurations.of(MicroDiscoveryClientAutoConfiguration.class));

	@Test
	void whenSpringCloudCommonsIsOnTheClasspathThenTheDiscoveryClientExistsWithTheDefaultOrder() {
		this.runner.run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(MicroDiscoveryClient.class);
			DiscoveryClient client = context.getBean(DiscoveryClient.class);
			assertThat(client.getOrder()).isEqualTo(DiscoveryClient.DEFAULT_ORDER);
			assertThat(client.description()).contains("memory");
		});
	}

	@Test
	void whenMicroDiscoveryIsDisabledThenThereIsNoDiscoveryClient() {
		this.runner.withPropertyValues("micro.discovery.enabled=false").run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(DiscoveryClient.class);
		});
	}

	@Test
	void whenSpringCloudDiscoveryIsDisabledThenThereIsNoDiscoveryClient() {
		this.runner.withPropertyValues("spring.cloud.discovery.enabled=false").run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(DiscoveryClient.class);
		});
	}

	@Test
	void whenBlockingDiscoveryIsDisabledThenThereIsNoDiscoveryClient() {
		this.runner.withPropertyValues("spring.cloud.discovery.blocking.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(DiscoveryClient.class));
	}

	@Test
	void whenSpringCloudCommonsIsNotOnTheClasspathThenThereIsNoDiscoveryClient() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.cloud")).run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean("microDiscoveryClient");
			assertThat(context).hasBean("microRegistry");
		});
	}

	@Test
	void whenTheOrderIsSetThenTheDiscoveryClientHasIt() {
		this.runner.withPropertyValues("micro.discovery.order=-5")
			.run(context -> assertThat(context.getBean(DiscoveryClient.class).getOrder()).isEqualTo(-5));
	}

	@Test
	void whenTheApplicationDefinesItsOwnMicroDiscoveryClientThenItIsKept() {
		MicroDiscoveryClient own = new MicroDiscoveryClient(new MemoryRegistry(), 7);
		this.runner.withBean(MicroDiscoveryClient.class, () -> own)
			.run(context -> assertThat(context.getBean(DiscoveryClient.class)).isSameAs(own));
	}

	@Test
	void whenTwoVersionsOfAServiceAreRegisteredThenEveryNodeIsAnInstanceWithItsVersion() {
		this.runner.run(context -> {
			Registry registry = context.getBean(Registry.class);
			registry.register(Service.of("greeter", "1.0",
					List.of(new Node("greeter-1", "10.0.0.1:8001", Map.of("zone", "a")))), Duration.ZERO);
			registry.register(Service.of("greeter", "2.0",
					List.of(new Node("greeter-2", "[::1]:8002", Map.of("zone", "b", "secure", "true")))),
					Duration.ZERO);
			registry.register(Service.of("stats", "1.0", List.of(Node.of("stats-1", "10.0.0.3:8003"))), Duration.ZERO);
			DiscoveryClient client = context.getBean(DiscoveryClient.class);

			assertThat(client.getServices()).containsExactly("greeter", "stats");
			List<ServiceInstance> instances = client.getInstances("greeter");

			assertThat(instances).extracting(ServiceInstance::getInstanceId)
				.containsExactlyInAnyOrder("greeter-1", "greeter-2");
			ServiceInstance first = instance(instances, "greeter-1");
			assertThat(first.getServiceId()).isEqualTo("greeter");
			assertThat(first.getHost()).isEqualTo("10.0.0.1");
			assertThat(first.getPort()).isEqualTo(8001);
			assertThat(first.isSecure()).isFalse();
			assertThat(first.getUri()).hasToString("http://10.0.0.1:8001");
			assertThat(first.getMetadata()).containsExactlyInAnyOrderEntriesOf(Map.of("zone", "a", "version", "1.0"));
			ServiceInstance second = instance(instances, "greeter-2");
			assertThat(second.getHost()).isEqualTo("[::1]");
			assertThat(second.getPort()).isEqualTo(8002);
			assertThat(second.isSecure()).isTrue();
			assertThat(second.getUri()).hasToString("https://[::1]:8002");
			assertThat(second.getMetadata()).containsEntry("version", "2.0").containsEntry("zone", "b");
			assertThat(client.getInstances("unknown")).isEmpty();
		});
	}

	@Test
	void whenInstancesAreLookedUpThenTheyAreReadThroughTheRegistryCache() {
		this.runner.run(context -> {
			context.getBean(Registry.class)
				.register(Service.of("greeter", "1.0", List.of(Node.of("greeter-1", "10.0.0.1:8001"))), Duration.ZERO);
			RegistryCache cache = context.getBean(MicroRegistryAutoConfiguration.REGISTRY_CACHE_BEAN_NAME,
					RegistryCache.class);

			assertThat(context.getBean(DiscoveryClient.class).getInstances("greeter")).hasSize(1);
			assertThat(cache.cachedServices()).containsOnlyKeys("greeter");
		});
	}

	@Test
	void whenThereIsNoRegistryCacheThenTheDiscoveryClientReadsTheRegistry() {
		MemoryRegistry registry = new MemoryRegistry();
		registry.register(Service.of("greeter", "1.0", List.of(Node.of("greeter-1", "10.0.0.1:8001"))), Duration.ZERO);
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MicroDiscoveryClientAutoConfiguration.class))
			.withBean(Registry.class, () -> registry)
			.run(context -> {
				assertThat(context).doesNotHaveBean(RegistryCache.class);
				assertThat(context.getBean(DiscoveryClient.class).getInstances("greeter"))
					.extracting(ServiceInstance::getInstanceId)
					.containsExactly("greeter-1");
			});
	}

	@Test
	void whenThereIsNoRegistryThenThereIsNoDiscoveryClient() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MicroDiscoveryClientAutoConfiguration.class))
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(DiscoveryClient.class);
			});
	}

	@Test
	void whenANodeAddressIsMalformedThenThatNodeIsLeftOut() {
		this.runner.run(context -> {
			context.getBean(Registry.class)
				.register(Service.of("greeter", "1.0",
						List.of(Node.of("greeter-1", "10.0.0.1:8001"), Node.of("greeter-2", "no-port"),
								Node.of("greeter-3", ":8003"), Node.of("greeter-4", "bad host:8004"))),
						Duration.ZERO);
			DiscoveryClient client = context.getBean(DiscoveryClient.class);

			assertThat(client.getInstances("greeter")).extracting(ServiceInstance::getInstanceId)
				.containsExactly("greeter-1");
			assertThat(client.getInstances("greeter")).hasSize(1);
		});
	}

	private static ServiceInstance instance(List<ServiceInstance> instances, String id) {
		return instances.stream().filter(instance -> instance.getInstanceId().equals(id)).findFirst().orElseThrow();
	}

}
