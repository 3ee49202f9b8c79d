package io.micro4j.registry.consul.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent registration body, as go-micro builds it, and Go's duration format. */
class NodeRegistrationTests {

	private static Service greeter(String address) {
		return Service.of("greeter", "latest", List.of(new Node("greeter-1", address, Map.of("protocol", "mucp"))));
	}

	@Test
	void whenTheTtlIsNinetySecondsThenTheCheckSaysOneMinuteThirtyAndDeregistersAfterOneMinuteThirtyFive() {
		Map<String, Object> body = NodeRegistration.body(greeter("10.0.0.1:8080"), Duration.ofSeconds(90));

		assertThat(body).containsEntry("ID", "greeter-1")
			.containsEntry("Name", "greeter")
			.containsEntry("Address", "10.0.0.1")
			.containsEntry("Port", 8080)
			.containsEntry("Meta", Map.of("protocol", "mucp"))
			.containsEntry("Check", Map.of("TTL", "1m30s", "DeregisterCriticalServiceAfter", "1m35s"));
	}

	@Test
	void whenTheTtlIsUnderAMinuteThenDeregistrationWaitsOneMinuteFive() {
		assertThat(NodeRegistration.body(greeter("h:1"), Duration.ofSeconds(60)).get("Check"))
			.isEqualTo(Map.of("TTL", "1m0s", "DeregisterCriticalServiceAfter", "1m5s"));
		assertThat(NodeRegistration.body(greeter("h:1"), Duration.ofSeconds(10)).get("Check"))
			.isEqualTo(Map.of("TTL", "10s", "DeregisterCriticalServiceAfter", "1m5s"));
	}

	@Test
	void whenTheTtlIsZeroThenThereIsNoCheck() {
		assertThat(NodeRegistration.body(greeter("h:1"), Duration.ZERO)).doesNotContainKey("Check");
	}

	@Test
	void whenTheAddressIsIpv6ThenTheBracketsAreDropped() {
		assertThat(NodeRegistration.body(greeter("[::1]:9090"), Duration.ZERO)).containsEntry("Address", "::1")
			.containsEntry("Port", 9090);
	}

	@Test
	void whenTheAddressHasNoPortThenRegistrationIsRefused() {
		assertThatThrownBy(() -> NodeRegistration.body(greeter("10.0.0.1"), Duration.ZERO))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("node address: 10.0.0.1 (expected: host:port)");
	}

	@Test
	void whenDurationsAreFormattedThenTheyReadAsGoPrintsThem() {
		assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
		assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
		assertThat(GoDuration.format(Duration.ofMillis(500))).isEqualTo("500ms");
		assertThat(GoDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m0s");
		assertThat(GoDuration.format(Duration.ofSeconds(95))).isEqualTo("1m35s");
	}

}
