package io.micro4j.spring.boot.autoconfigure.integration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micro4j.errors.MicroException;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.server.Server;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.Greeter;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.GreeterClient;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.HelloRequest;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.HelloResponse;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A typed {@code @MicroClient} in one application calls a {@code @MicroHandler} in others, all sharing one registry.
 */
class MicroClientServerIntegrationTests {

	private final MicroApps apps = new MicroApps();

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	private ConfigurableApplicationContext server(String instance, Registry registryHandle, String... properties) {
		String[] all = new String[properties.length + 2];
		all[0] = "spring.application.name=greeter";
		all[1] = "greeter.instance=" + instance;
		System.arraycopy(properties, 0, all, 2, properties.length);
		return this.apps.start(ServerApp.class, registryHandle, all);
	}

	private ConfigurableApplicationContext client(String... properties) {
		String[] all = new String[properties.length + 1];
		all[0] = "micro.server.enabled=false";
		System.arraycopy(properties, 0, all, 1, properties.length);
		return this.apps.start(ClientApp.class, all);
	}

	private int registeredNodes(String service) {
		return this.apps.registry().getService(service).stream().mapToInt(s -> s.nodes().size()).sum();
	}

	@Test
	void whenOneOfTwoServersStopsWithoutDeregisteringThenEveryCallStillSucceeds() {
		server("a", SharedRegistry.of(this.apps.registry()));
		ConfigurableApplicationContext serverB = server("b", SharedRegistry.neverDeregistering(this.apps.registry()));
		GreeterClient greeter = client("micro.selector.strategy=round-robin").getBean(GreeterClient.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> registeredNodes("greeter") == 2);
		Set<String> answers = new HashSet<>();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			answers.add(greeter.hello(new HelloRequest("John")).msg());
			assertThat(answers).contains("Hello John from a", "Hello John from b");
		});

		serverB.close();
		assertThat(registeredNodes("greeter")).as("b's node is still registered").isEqualTo(2);

		for (int i = 0; i < 50; i++) {
			HelloResponse response = greeter.hello(new HelloRequest("John"));
			assertThat(response.msg()).as("call %d", i).isEqualTo("Hello John from a");
		}
	}

	@Test
	void whenClientMethodReturnsCompletableFutureThenItCompletesWithTheAnswer() throws Exception {
		server("a", SharedRegistry.of(this.apps.registry()));
		GreeterClient greeter = client().getBean(GreeterClient.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> registeredNodes("greeter") == 1);
		HelloResponse response = greeter.helloLater(new HelloRequest("Jane")).get(10, TimeUnit.SECONDS);
		assertThat(response.msg()).isEqualTo("Hello Jane from a");
	}

	@Test
	void whenHandlerThrowsMicroExceptionThenTheClientGetsItsCodeAndDetail() {
		server("a", SharedRegistry.of(this.apps.registry()));
		GreeterClient greeter = client().getBean(GreeterClient.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> registeredNodes("greeter") == 1);
		assertThatExceptionOfType(MicroException.class).isThrownBy(() -> greeter.hello(new HelloRequest("error")))
			.satisfies(ex -> {
				assertThat(ex.code()).isEqualTo(400);
				assertThat(ex.id()).isEqualTo("greeter.hello");
				assertThat(ex.detail()).isEqualTo("bad name \"error\"");
			});
	}

	@Test
	void whenServerStartsThenItRegistersItsEndpointsAndDeregistersOnClose() {
		ConfigurableApplicationContext server = server("a", SharedRegistry.of(this.apps.registry()));
		await().atMost(Duration.ofSeconds(10)).until(() -> registeredNodes("greeter") == 1);
		Service service = this.apps.registry().getService("greeter").get(0);
		assertThat(service.version()).isEqualTo("latest");
		assertThat(service.endpoints()).anySatisfy(endpoint -> assertThat(endpoint.name()).isEqualTo("Greeter.Hello"));
		assertThat(service.nodes().get(0).address()).startsWith("127.0.0.1:");
		InetSocketAddress bound = server.getBean(Server.class).boundAddress().orElseThrow();
		assertThat(service.nodes().get(0).address()).isEqualTo("127.0.0.1:" + bound.getPort());
		server.close();
		assertThat(registeredNodes("greeter")).isZero();
		assertThatExceptionOfType(IOException.class).as("the port is closed").isThrownBy(() -> {
			try (Socket socket = new Socket()) {
				socket.connect(bound, 1000);
			}
		});
	}

	@Test
	void whenObservationRegistryBeansExistThenClientAndServerCallsAreObserved() {
		ConfigurableApplicationContext server = server("a", SharedRegistry.of(this.apps.registry()), "test.observations=true");
		ConfigurableApplicationContext client = client("test.observations=true");
		await().atMost(Duration.ofSeconds(10)).until(() -> registeredNodes("greeter") == 1);
		client.getBean(GreeterClient.class).hello(new HelloRequest("John"));
		TestObservationRegistryAssert.assertThat(client.getBean(TestObservationRegistry.class))
			.hasObservationWithNameEqualTo("micro.client.calls")
			.that()
			.hasLowCardinalityKeyValue("micro.endpoint", "Greeter.Hello");
		TestObservationRegistryAssert.assertThat(server.getBean(TestObservationRegistry.class))
			.hasObservationWithNameEqualTo("micro.server.calls")
			.that()
			.hasLowCardinalityKeyValue("micro.endpoint", "Greeter.Hello");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Greeter.class, Observations.class })
	static class ServerApp {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Observations.class)
	static class ClientApp {

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty("test.observations")
	static class Observations {

		@Bean
		TestObservationRegistry testObservationRegistry() {
			return TestObservationRegistry.create();
		}

	}

}
