package io.micro4j.spring.boot.autoconfigure.dashboard;

import java.time.Duration;

import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micro4j.spring.dashboard.DashboardCalls;
import io.micro4j.spring.dashboard.DashboardController;
import io.micro4j.spring.dashboard.DashboardEvents;
import io.micro4j.spring.dashboard.DashboardSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import static org.assertj.core.api.Assertions.assertThat;

class MicroDashboardAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(
			MicroDashboardAutoConfiguration.class);

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(TestAutoConfigurations.ALL)
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues("micro.server.enabled=false");

	@Test
	void whenNothingIsSetThenTheDashboardIsOff() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(DashboardController.class)
			.doesNotHaveBean(DashboardEvents.class)
			.doesNotHaveBean(DashboardCalls.class));
	}

	@Test
	void whenEnabledInAServletApplicationThenTheControllerCallsAndEventsAreRegistered() {
		this.runner.withPropertyValues("micro.dashboard.enabled=true").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(DashboardController.class)
				.hasSingleBean(DashboardCalls.class)
				.hasSingleBean(DashboardEvents.class);
			assertThat(context.getBean(DashboardSettings.class)).isEqualTo(DashboardSettings.defaults());
		});
	}

	@Test
	void whenPropertiesAreSetThenTheSettingsFollowThem() {
		this.runner
			.withPropertyValues("micro.dashboard.enabled=true", "micro.dashboard.path=/ops/micro",
					"micro.dashboard.call-timeout=3s", "micro.dashboard.max-request-size=2KB",
					"micro.dashboard.max-clients=3", "micro.dashboard.heartbeat-interval=5s")
			.run((context) -> assertThat(context.getBean(DashboardSettings.class))
				.isEqualTo(new DashboardSettings("/ops/micro", Duration.ofSeconds(3), 2048, 3, Duration.ofSeconds(5))));
	}

	@Test
	void whenThePathEndsWithASlashThenStartupFailsSayingWhatIsExpected() {
		this.runner.withPropertyValues("micro.dashboard.enabled=true", "micro.dashboard.path=/micro/")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property micro.dashboard.path with value '/micro/' is invalid: "
						+ "path: /micro/ (expected: starts with /, does not end with /, no patterns)"));
	}

	@Test
	void whenMaxClientsIsZeroThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("micro.dashboard.enabled=true", "micro.dashboard.max-clients=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Property micro.dashboard.max-clients with value '0' is invalid: "
						+ "maxClients: 0 (expected: > 0)"));
	}

	@Test
	void whenTheApplicationIsNotAWebApplicationThenThereIsNoDashboard() {
		new ApplicationContextRunner().withConfiguration(TestAutoConfigurations.ALL)
			.withConfiguration(CONFIGURATIONS)
			.withPropertyValues("micro.server.enabled=false", "micro.dashboard.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardController.class));
	}

	@Test
	void whenSpringMvcIsMissingThenThereIsNoDashboard() {
		this.runner.withPropertyValues("micro.dashboard.enabled=true")
			.withClassLoader(new FilteredClassLoader(SseEmitter.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardController.class));
	}

}
