package io.micro4j.spring.boot.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class MicroDefaultPropertiesTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	private void postProcess() {
		new MicroDefaultProperties().postProcessEnvironment(this.environment, new SpringApplication());
	}

	@Test
	void whenNothingIsSetThenProbesAreEnabledAndReadinessIncludesTheMicroServer() {
		postProcess();

		assertThat(this.environment.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
		assertThat(this.environment.getProperty("management.endpoint.health.group.liveness.include"))
			.isEqualTo("livenessState");
		assertThat(this.environment.getProperty("management.endpoint.health.group.readiness.include"))
			.isEqualTo("readinessState,micro-server");
		assertThat(this.environment.getProperty("logging.level.io.etcd.jetcd")).isEqualTo("ERROR");
		assertThat(this.environment.getProperty("logging.level.io.grpc.internal")).isEqualTo("ERROR");
	}

	@Test
	void whenTheApplicationSetsAValueThenItWins() {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("logging.level.io.etcd.jetcd", "WARN",
					"management.endpoint.health.group.readiness.include", "readinessState,db")));
		postProcess();

		assertThat(this.environment.getProperty("logging.level.io.etcd.jetcd")).isEqualTo("WARN");
		assertThat(this.environment.getProperty("management.endpoint.health.group.readiness.include"))
			.isEqualTo("readinessState,db");
		assertThat(this.environment.getPropertySources().stream().reduce((first, second) -> second).orElseThrow()
			.getName()).isEqualTo(MicroDefaultProperties.SOURCE_NAME);
	}

	@Test
	void whenTheServerIndicatorIsOffThenReadinessDoesNotIncludeIt() {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("management.health.micro-server.enabled", "false")));
		postProcess();

		assertThat(this.environment.getProperty("management.endpoint.health.group.readiness.include"))
			.isEqualTo("readinessState");
	}

}
