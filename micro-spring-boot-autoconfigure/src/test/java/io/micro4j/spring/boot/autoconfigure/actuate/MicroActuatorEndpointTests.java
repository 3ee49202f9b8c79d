package io.micro4j.spring.boot.autoconfigure.actuate;

import java.util.List;

import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.Service;
import io.micro4j.server.Server;
import io.micro4j.spring.actuate.MicroActuatorEndpoint;
import io.micro4j.spring.actuate.MicroActuatorEndpoint.MicroDescriptor;
import io.micro4j.spring.actuate.MicroActuatorEndpoint.NodeDescriptor;
import io.micro4j.spring.annotation.MicroHandler;
import io.micro4j.spring.annotation.MicroSubscriber;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code micro} endpoint of a running greeter service on the memory registry and broker. */
class MicroActuatorEndpointTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TestAutoConfigurations.ALL)
		.withConfiguration(AutoConfigurations.of(MicroActuatorAutoConfiguration.class))
		.withPropertyValues("spring.application.name=greeter", "micro.server.address=127.0.0.1:0",
				"micro.server.version=1.2.0", "management.endpoints.web.exposure.include=micro");

	@Test
	void whenTheServerRunsThenTheEndpointShowsItsEndpointsTopicsAndAddress() {
		this.runner.withUserConfiguration(GreeterService.class).run(context -> {
			Server server = context.getBean(Server.class);

			MicroDescriptor micro = context.getBean(MicroActuatorEndpoint.class).micro();

			assertThat(micro.server()).isNotNull();
			assertThat(micro.server().name()).isEqualTo("greeter");
			assertThat(micro.server().version()).isEqualTo("1.2.0");
			assertThat(micro.server().nodeId()).isEqualTo(server.nodeId()).startsWith("greeter-");
			assertThat(micro.server().running()).isTrue();
			assertThat(micro.server().address())
				.isEqualTo("127.0.0.1:" + server.boundAddress().orElseThrow().getPort());
			assertThat(micro.server().endpoints()).containsExactly("Greeter.Hello");
			assertThat(micro.registry().type()).isEqualTo("memory");
			assertThat(micro.registry().services()).containsExactly("greeter");
			assertThat(micro.registry().error()).isNull();
			assertThat(micro.broker()).isNotNull();
			assertThat(micro.broker().type()).isEqualTo("memory");
			assertThat(micro.broker().topics()).containsExactly("greeter.events");
		});
	}

	@Test
	void whenTheClientHasLookedUpAServiceThenTheEndpointShowsTheNodesItSees() {
		this.runner.withUserConfiguration(GreeterService.class).run(context -> {
			MicroActuatorEndpoint endpoint = context.getBean(MicroActuatorEndpoint.class);
			assertThat(endpoint.micro().client()).isEmpty();
			RegistryCache cache = context.getBean(MicroRegistryAutoConfiguration.REGISTRY_CACHE_BEAN_NAME,
					RegistryCache.class);
			List<Service> seen = cache.getService("greeter");

			Server server = context.getBean(Server.class);
			assertThat(seen).isNotEmpty();
			assertThat(endpoint.micro().client()).containsOnlyKeys("greeter");
			assertThat(endpoint.micro().client().get("greeter")).containsExactly(new NodeDescriptor(
					server.nodeId(), server.service().nodes().get(0).address(), "1.2.0", "mucp"));
		});
	}

	@Test
	void whenTheApplicationHasNoServerThenTheEndpointShowsTheRegistryAndBrokerOnly() {
		this.runner.withPropertyValues("micro.server.enabled=false").run(context -> {
			MicroDescriptor micro = context.getBean(MicroActuatorEndpoint.class).micro();

			assertThat(micro.server()).isNull();
			assertThat(micro.registry().services()).isEmpty();
			assertThat(micro.broker()).isNotNull();
			assertThat(micro.broker().topics()).isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class GreeterService {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

		@Bean
		Listener listener() {
			return new Listener();
		}

	}

	@MicroHandler
	static class Greeter {

		public String hello(String name) {
			return "Hello " + name;
		}

	}

	static class Listener {

		@MicroSubscriber(topic = "greeter.events")
		public void onEvent(String event) {
		}

	}

}
