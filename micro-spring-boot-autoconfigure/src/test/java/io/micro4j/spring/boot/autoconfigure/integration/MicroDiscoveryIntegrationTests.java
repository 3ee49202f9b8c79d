package io.micro4j.spring.boot.autoconfigure.integration;

import java.util.List;

import io.micro4j.registry.Node;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.Greeter;
import io.micro4j.spring.cloud.MicroDiscoveryClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @MicroHandler} application started by the auto-configuration is a Spring Cloud service: the
 * application's {@link DiscoveryClient} (Spring Cloud's composite one, over the micro one) lists its node.
 */
class MicroDiscoveryIntegrationTests {

	private final MicroApps apps = new MicroApps();

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		this.apps.close();
	}

	@Test
	void whenAMicroServerHasStartedThenTheDiscoveryClientSeesItsNode() {
		this.context = this.apps.start(ServerApp.class,
				"spring.application.name=greeter", "greeter.instance=one", "micro.server.version=1.2");
		Node registered = this.apps.registry().getService("greeter").get(0).nodes().get(0);
		DiscoveryClient discovery = this.context.getBean(DiscoveryClient.class);

		assertThat(this.context.getBeansOfType(MicroDiscoveryClient.class)).hasSize(1);
		assertThat(discovery.getServices()).contains("greeter");
		List<ServiceInstance> instances = discovery.getInstances("greeter");

		assertThat(instances).singleElement().satisfies(instance -> {
			assertThat(instance.getInstanceId()).isEqualTo(registered.id());
			assertThat(instance.getServiceId()).isEqualTo("greeter");
			assertThat(instance.getHost() + ":" + instance.getPort()).isEqualTo(registered.address());
			assertThat(instance.getUri()).hasToString("http://" + registered.address());
			assertThat(instance.getMetadata()).containsEntry("version", "1.2")
				.containsEntry("registry", "memory")
				.containsKey("protocol");
		});
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Greeter.class)
	static class ServerApp {

	}

}
