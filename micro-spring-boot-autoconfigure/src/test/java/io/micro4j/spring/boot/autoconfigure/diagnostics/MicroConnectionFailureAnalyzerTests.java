package io.micro4j.spring.boot.autoconfigure.diagnostics;

import java.io.IOException;
import java.net.ServerSocket;

import io.micro4j.broker.BrokerException;
import io.micro4j.registry.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class MicroConnectionFailureAnalyzerTests {

	@Test
	void whenNatsCannotBeReachedAtStartupThenBootReportsTheBrokerAddressAndTheFixInsteadOfAStackTrace(
			CapturedOutput output) throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		String address = "nats://user:hunter2@127.0.0.1:" + closedPort;
		assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties("micro.server.address=127.0.0.1:0", "micro.broker.type=nats",
					"micro.broker.address=" + address, "spring.main.register-shutdown-hook=false")
			.run()).hasRootCauseInstanceOf(IOException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The micro broker could not be reached while the application started.")
			.contains("micro.broker.type: nats")
			.contains("micro.broker.address: nats://***@127.0.0.1:" + closedPort)
			.contains("scripts/dev-services start nats")
			// the analysis replaces the chain of bean creation exceptions
			.doesNotContain("UnsatisfiedDependencyException");
		// neither the report nor any log line before it shows the password
		assertThat(output.getAll()).doesNotContain("hunter2");
	}

	@Test
	void whenARegistryExceptionStopsTheStartThenTheAnalysisNamesTheRegistry() {
		MockEnvironment environment = new MockEnvironment().withProperty("micro.registry.type", "etcd")
			.withProperty("micro.registry.address", "127.0.0.1:1");
		FailureAnalysis analysis = new MicroConnectionFailureAnalyzer(environment)
			.analyze(new IllegalStateException("wrapped", new RegistryException("etcd at 127.0.0.1:1 is unreachable")));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("micro.registry.type: etcd")
			.contains("micro.registry.address: 127.0.0.1:1")
			.contains("etcd at 127.0.0.1:1 is unreachable");
		assertThat(analysis.getAction()).contains("scripts/dev-services start etcd");
	}

	@Test
	void whenTheFailureIsNotAboutABrokerOrRegistryThenOtherAnalyzersDecide() {
		MicroConnectionFailureAnalyzer analyzer = new MicroConnectionFailureAnalyzer(new MockEnvironment());
		assertThat(analyzer.analyze(new IllegalStateException("something else"))).isNull();
		assertThat(analyzer.analyze(new BrokerException("rabbitmq at amqp://guest:secret@h:5672 down")).getDescription())
			.contains("amqp://***@h:5672")
			.doesNotContain("secret");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
