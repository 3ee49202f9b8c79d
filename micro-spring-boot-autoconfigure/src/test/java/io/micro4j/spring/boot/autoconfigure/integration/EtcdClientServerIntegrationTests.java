package io.micro4j.spring.boot.autoconfigure.integration;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import io.micro4j.registry.Registry;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.server.Server;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.Greeter;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.GreeterClient;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.HelloRequest;
import io.micro4j.test.etcd.EtcdServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two applications, as two processes would be, configured only with {@code micro.registry.type=etcd} and the
 * address: one serves {@code Greeter.Hello}, the other calls it through etcd.
 */
class EtcdClientServerIntegrationTests {

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	private final Set<ConfigurableApplicationContext> contexts = new HashSet<>();

	@AfterEach
	void closeAll() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	private ConfigurableApplicationContext start(Class<?> application, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("micro.registry.type=etcd", "micro.registry.address=" + etcd.address(),
					"micro.server.address=127.0.0.1:0", "spring.main.register-shutdown-hook=false")
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	@Test
	void whenTwoApplicationsShareEtcdThenOneCallsTheOtherAndTheRecordIsGoMicros() {
		ConfigurableApplicationContext server = start(ServerApp.class, "spring.application.name=greeter",
				"greeter.instance=a");
		ConfigurableApplicationContext client = start(ClientApp.class, "micro.server.enabled=false");

		assertThat(server.getBean(Registry.class)).isInstanceOf(EtcdRegistry.class);
		GreeterClient greeter = client.getBean(GreeterClient.class);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(greeter.hello(new HelloRequest("John")).msg())
				.isEqualTo("Hello John from a"));
		String nodeId = server.getBean(Server.class).service().nodes().get(0).id();
		assertThat(etcd.etcdctl("get", "--prefix", "/micro/registry/greeter/"))
			.contains("/micro/registry/greeter/" + nodeId)
			.contains("\"protocol\":\"mucp\"")
			.contains("\"registry\":\"etcd\"");

		server.close();
		assertThat(etcd.etcdctl("get", "--prefix", "--keys-only", "/micro/registry/greeter/")).isBlank();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Greeter.class)
	static class ServerApp {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ClientApp {

	}

}
