package io.micro4j.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /hello} on a running demo, the subscriber's log line it produced, and log-line helpers. */
final class BrokerEventsAssertions {

	private static final Pattern TRACE = Pattern.compile("\\b([0-9a-f]{32})-[0-9a-f]{16}\\b");

	private BrokerEventsAssertions() {
	}

	/**
	 * Calls {@code GET /hello?name=<name>} and waits for the subscriber's log line; asserts the answer and that the
	 * subscriber logged under the controller's trace id.
	 */
	static void helloReachesTheSubscriber(int port, String name, CapturedOutput output) throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello?name=" + name))
			.timeout(Duration.ofSeconds(30))
			.build();

		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"msg\":\"Hello " + name + "\"}");
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(output.getAll()).contains("message=Hello " + name));
		String subscriber = line(output, "message=Hello " + name);
		assertThat(subscriber).contains("greeter.events");
		assertThat(traceId(subscriber)).isEqualTo(traceId(line(output, "GET /hello name=" + name)));
	}

	/** The first log line containing {@code text}. */
	static String line(CapturedOutput output, String text) {
		return Arrays.stream(output.getAll().split("\\R"))
			.filter(l -> l.contains(text))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no log line contains '" + text + "'"));
	}

	/** The trace id of a log line ({@code [traceId-spanId]}). */
	static String traceId(String line) {
		Matcher matcher = TRACE.matcher(line);
		assertThat(matcher.find()).as("trace id in: %s", line).isTrue();
		return matcher.group(1);
	}

}
