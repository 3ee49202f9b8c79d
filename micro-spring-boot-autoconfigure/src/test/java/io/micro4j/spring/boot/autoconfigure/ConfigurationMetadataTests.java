package io.micro4j.spring.boot.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The annotation processors ran: every property is documented, with its default where it has one. */
class ConfigurationMetadataTests {

	private static JsonNode metadata() throws Exception {
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			return JsonMapper.builder().build().readTree(in);
		}
	}

	@Test
	void whenMetadataIsGeneratedThenEveryMicroPropertyHasADescription() throws Exception {
		List<String> names = new ArrayList<>();
		for (JsonNode property : metadata().get("properties")) {
			String name = property.get("name").asString();
			names.add(name);
			assertThat(property.path("description").asString("")).as(name).isNotBlank();
		}
		assertThat(names).contains("micro.server.name", "micro.server.register-ttl", "micro.client.request-timeout",
				"micro.client.services", "micro.registry.type", "micro.registry.cache-ttl", "micro.broker.type",
				"micro.selector.strategy", "micro.selector.ejection-base", "micro.discovery.enabled",
				"micro.broker.metrics.enabled", "micro.dashboard.enabled", "micro.dashboard.path",
				"micro.dashboard.call-timeout", "micro.dashboard.max-request-size", "micro.dashboard.max-clients",
				"micro.dashboard.heartbeat-interval");
	}

	@Test
	void whenMetadataIsGeneratedThenDefaultsAreRecorded() throws Exception {
		JsonNode properties = metadata().get("properties");
		assertThat(defaultOf(properties, "micro.server.register-ttl")).isEqualTo("90s");
		assertThat(defaultOf(properties, "micro.client.retries")).isEqualTo("5");
		assertThat(defaultOf(properties, "micro.selector.strategy")).isEqualTo("random");
		assertThat(defaultOf(properties, "micro.server.max-body-size")).isEqualTo("4MB");
		assertThat(defaultOf(properties, "micro.registry.health-timeout")).isEqualTo("3s");
		assertThat(defaultOf(properties, "micro.broker.metrics.enabled")).isEqualTo("true");
		assertThat(defaultOf(properties, "micro.dashboard.enabled")).isEqualTo("false");
		assertThat(defaultOf(properties, "micro.dashboard.path")).isEqualTo("/micro");
		assertThat(defaultOf(properties, "micro.dashboard.call-timeout")).isEqualTo("10s");
		assertThat(defaultOf(properties, "micro.dashboard.max-request-size")).isEqualTo("64KB");
	}

	@Test
	void whenAutoConfigureProcessorRunsThenOrderingMetadataIsGenerated() throws Exception {
		assertThat(new ClassPathResource("META-INF/spring-autoconfigure-metadata.properties").exists()).isTrue();
	}

	private static String defaultOf(JsonNode properties, String name) {
		for (JsonNode property : properties) {
			if (property.get("name").asString().equals(name)) {
				return property.path("defaultValue").asString();
			}
		}
		throw new AssertionError("no property " + name);
	}

}
