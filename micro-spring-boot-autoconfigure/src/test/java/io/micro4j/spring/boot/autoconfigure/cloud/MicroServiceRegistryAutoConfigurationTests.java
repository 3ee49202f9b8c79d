package io.micro4j.spring.boot.autoconfigure.cloud;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micro4j.spring.cloud.MicroAutoServiceRegistration;
import io.micro4j.spring.cloud.MicroRegistration;
import io.micro4j.spring.cloud.MicroServiceRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClientSpecification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * When the Spring Cloud service registry, the web server's auto-registration and the load-balancer supplier exist,
 * and what the service registry writes into the memory registry.
 */
class MicroServiceRegistryAutoConfigurationTests {

	private static final AutoConfigurations CLOUD = AutoConfigurations.of(MicroDiscoveryClientAutoConfiguration.class,
			MicroServiceRegistryAutoConfiguration.class, MicroLoadBalancerAutoConfiguration.class);

	private final WebApplicationContextRunner web = new WebApplicationContextRunner()
		.withConfiguration(TestAutoConfigurations.ALL)
		.withConfiguration(CLOUD)
		.withPropertyValues("micro.server.enabled=false");

	@Test
	void whenAWebApplicationHasTheRegistryThenTheServiceRegistryAndTheAutoRegistrationExist() {
		this.web.run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(MicroServiceRegistry.class);
			assertThat(context.getBean(ServiceRegistry.class)).isInstanceOf(MicroServiceRegistry.class);
			assertThat(context).hasSingleBean(MicroAutoServiceRegistration.class);
			// no embedded web server in this context: nothing to register
			assertThat(context.getBean(MicroAutoServiceRegistration.class).registration()).isEmpty();
		});
	}

	@Test
	void whenRegisterWebIsFalseThenThereIsNoAutoRegistrationButAServiceRegistry() {
		this.web.withPropertyValues("micro.discovery.register-web=false").run(context -> {
			assertThat(context).hasSingleBean(MicroServiceRegistry.class);
			assertThat(context).doesNotHaveBean(MicroAutoServiceRegistration.class);
		});
	}

	@Test
	void whenSpringCloudAutoRegistrationIsDisabledThenThereIsNoAutoRegistration() {
		this.web.withPropertyValues("spring.cloud.service-registry.auto-registration.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(MicroAutoServiceRegistration.class)
				.hasSingleBean(MicroServiceRegistry.class));
	}

	@Test
	void whenTheServiceRegistryIsDisabledThenThereIsNeither() {
		this.web.withPropertyValues("spring.cloud.service-registry.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(MicroServiceRegistry.class)
				.doesNotHaveBean(MicroAutoServiceRegistration.class));
	}

	@Test
	void whenTheApplicationIsNotAWebApplicationThenThereIsNoAutoRegistration() {
		TestAutoConfigurations.clientOnly()
			.withConfiguration(CLOUD)
			.run(context -> assertThat(context).hasSingleBean(MicroServiceRegistry.class)
				.doesNotHaveBean(MicroAutoServiceRegistration.class));
	}

	@Test
	void whenSpringCloudIsNotOnTheClasspathThenThereIsNoServiceRegistry() {
		this.web.withClassLoader(new FilteredClassLoader("org.springframework.cloud"))
			.run(context -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("microServiceRegistry")
				.doesNotHaveBean("microAutoServiceRegistration"));
	}

	@Test
	void whenTheLoadBalancerIsOnTheClasspathThenMicrosSupplierIsTheDefaultConfiguration() {
		this.web.run(context -> assertThat(context.getBeansOfType(LoadBalancerClientSpecification.class).values())
			.anySatisfy(specification -> {
				assertThat(specification.getName()).startsWith("default.");
				assertThat(specification.getConfiguration()).containsExactly(MicroLoadBalancerClientConfiguration.class);
			}));
	}

	@Test
	void whenMicrosLoadBalancerSupplierIsDisabledThenSpringCloudsDefaultIsKept() {
		this.web.withPropertyValues("micro.discovery.load-balancer.enabled=false")
			.run(context -> assertThat(context.getBeansOfType(LoadBalancerClientSpecification.class).values())
				.noneMatch(specification -> List.of(specification.getConfiguration())
					.contains(MicroLoadBalancerClientConfiguration.class)));
	}

	@Test
	void whenARegistrationIsRegisteredThenTheRegistryHoldsAGoMicroHttpNodeUntilItIsDeregistered() {
		MemoryRegistry registry = new MemoryRegistry();
		try (MicroServiceRegistry services = new MicroServiceRegistry(registry, Duration.ofSeconds(90),
				Duration.ofSeconds(30))) {
			MicroRegistration registration = MicroRegistration.builder("shop", "::1", 8443)
				.version("2.0")
				.secure(true)
				.metadata(Map.of("zone", "a"))
				.build();

			services.register(registration);

			List<Service> registered = registry.getService("shop");
			assertThat(registered).singleElement().satisfies(service -> {
				assertThat(service.version()).isEqualTo("2.0");
				assertThat(service.endpoints()).isEmpty();
				Node node = service.nodes().get(0);
				assertThat(node.id()).isEqualTo(registration.getInstanceId()).startsWith("shop-");
				assertThat(node.address()).isEqualTo("[::1]:8443");
				assertThat(node.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("protocol", "http", "server",
						"http", "transport", "http", "registry", "memory", "secure", "true", "zone", "a"));
			});
			assertThat(registration.getUri()).hasToString("https://[::1]:8443");
			assertThat((String) services.getStatus(registration)).isEqualTo(MicroServiceRegistry.UP);

			services.deregister(registration);

			assertThat(registry.getService("shop")).isEmpty();
			assertThat((Object) services.getStatus(registration)).isNull();
		}
	}

	@Test
	void whenAStatusIsUnknownOrTheRegistrationIsNotHeldThenSetStatusSaysSo() {
		try (MicroServiceRegistry services = new MicroServiceRegistry(new MemoryRegistry(), Duration.ZERO,
				Duration.ZERO)) {
			MicroRegistration registration = MicroRegistration.builder("shop", "10.0.0.1", 8080).build();

			assertThatIllegalStateException().isThrownBy(() -> services.setStatus(registration, "UP"))
				.withMessageContaining("is not registered");
			services.register(registration);
			assertThatIllegalArgumentException().isThrownBy(() -> services.setStatus(registration, "STARTING"))
				.withMessageContaining("expected: UP, OUT_OF_SERVICE or DOWN");
		}
	}

	@Test
	void whenARegistrationIsBuiltFromBadValuesThenItSaysWhich() {
		assertThatIllegalArgumentException().isThrownBy(() -> MicroRegistration.builder("shop", "10.0.0.1", 0))
			.withMessage("port: 0 (expected: 1-65535)");
		assertThatIllegalArgumentException().isThrownBy(() -> MicroRegistration.builder(" ", "10.0.0.1", 80))
			.withMessageContaining("serviceId");
	}

}
