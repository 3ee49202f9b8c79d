package io.micro4j.spring.boot.autoconfigure.integration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micro4j.registry.Registry;
import io.micro4j.registry.consul.ConsulRegistry;
import io.micro4j.registry.consul.ConsulTags;
import io.micro4j.server.Server;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.Greeter;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.GreeterClient;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.HelloRequest;
import io.micro4j.test.consul.ConsulServer;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two applications, as two processes would be, configured only with {@code micro.registry.type=consul} and the
 * agent's address: one serves {@code Greeter.Hello}, the other calls it through Consul.
 */
class ConsulClientServerIntegrationTests {

	@RegisterExtension
	static final ConsulServer consul = new ConsulServer();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@AfterEach
	void closeAll() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	private ConfigurableApplicationContext run(Class<?> application, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("micro.registry.type=consul", "micro.registry.address=" + consul.address(),
					"micro.server.address=127.0.0.1:0", "spring.main.register-shutdown-hook=false")
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	@Test
	void whenTwoApplicationsShareAConsulAgentThenOneCallsTheOtherAndTheAgentHoldsGoMicroTags() throws Exception {
		ConfigurableApplicationContext server = run(GreeterApp.class, "spring.application.name=greeter",
				"greeter.instance=c");
		ConfigurableApplicationContext client = run(CallerApp.class, "micro.server.enabled=false");

		assertThat(server.getBean(Registry.class)).isInstanceOf(ConsulRegistry.class);
		GreeterClient greeter = client.getBean(GreeterClient.class);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(greeter.hello(new HelloRequest("Jane")).msg())
				.isEqualTo("Hello Jane from c"));
		String nodeId = server.getBean(Server.class).service().nodes().get(0).id();
		JsonNode registered = agentServices().get(nodeId);
		List<String> tags = new ArrayList<>();
		registered.get("Tags").forEach(tag -> tags.add(tag.asString()));
		assertThat(ConsulTags.decode(tags).metadata()).containsEntry("registry", "consul")
			.containsEntry("protocol", "mucp");
		assertThat(ConsulTags.decode(tags).endpoints()).isNotEmpty();

		server.close();
		assertThat(agentServices().has(nodeId)).isFalse();
	}

	private static JsonNode agentServices() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(consul.url() + "/v1/agent/services")).build(),
					HttpResponse.BodyHandlers.ofString());
		return JSON.readTree(response.body());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Greeter.class)
	static class GreeterApp {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CallerApp {

	}

}
