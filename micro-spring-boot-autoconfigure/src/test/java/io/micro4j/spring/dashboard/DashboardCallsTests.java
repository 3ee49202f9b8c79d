package io.micro4j.spring.dashboard;

import java.time.Duration;

import io.micro4j.client.CallOptions;
import io.micro4j.errors.MicroException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The call budget: the service's options, the request timeout cut to the dashboard's and the page's. */
class DashboardCallsTests {

	private final RecordingClient client = new RecordingClient();

	private final DashboardCalls calls = new DashboardCalls(this.client, (service) -> CallOptions.builder()
		.requestTimeout(Duration.ofSeconds(30))
		.connectionTimeout(Duration.ofSeconds(5))
		.retries(2)
		.build(), JsonMapper.builder().build(), Duration.ofSeconds(3));

	@Test
	void whenThePageAsksForNoTimeoutThenTheDashboardsCutsTheServicesBudget() {
		this.calls.call(body("{\"service\":\"greeter\",\"endpoint\":\"Greeter.Hello\"}"));

		assertThat(this.client.lastOptions().requestTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(this.client.lastOptions().connectionTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(this.client.lastOptions().retries()).as("the service's own options otherwise").isEqualTo(2);
	}

	@Test
	void whenThePageAsksForLessThenItGetsLessAndForMoreItGetsTheDashboards() {
		this.calls.call(body("{\"service\":\"greeter\",\"endpoint\":\"Greeter.Hello\",\"timeoutMillis\":250}"));
		assertThat(this.client.lastOptions().requestTimeout()).isEqualTo(Duration.ofMillis(250));
		assertThat(this.client.lastOptions().connectionTimeout()).isEqualTo(Duration.ofMillis(250));

		this.calls.call(body("{\"service\":\"greeter\",\"endpoint\":\"Greeter.Hello\",\"timeoutMillis\":60000}"));
		assertThat(this.client.lastOptions().requestTimeout()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void whenTheBodyIsNotAnObjectThenItIsA400() {
		assertThatExceptionOfType(MicroException.class).isThrownBy(() -> this.calls.call(body("[1,2]")))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(400))
			.satisfies((ex) -> assertThat(ex.detail()).isEqualTo("expected a JSON object"));
		assertThatExceptionOfType(MicroException.class)
			.isThrownBy(() -> this.calls.call(body("{\"service\":\"greeter\",\"endpoint\":\"X\",\"timeoutMillis\":\"soon\"}")))
			.satisfies((ex) -> assertThat(ex.detail()).isEqualTo("timeoutMillis: \"soon\" (expected: a whole number > 0)"));
	}

	private static byte[] body(String json) {
		return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

}
