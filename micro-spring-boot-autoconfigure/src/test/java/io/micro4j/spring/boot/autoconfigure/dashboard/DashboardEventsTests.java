package io.micro4j.spring.boot.autoconfigure.dashboard;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.spring.dashboard.DashboardEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's live updates over a real HTTP connection: node changes arrive as events, one shared watch serves
 * the streams and ends with the last one, a closed stream is noticed by its heartbeat, and streams are bounded.
 */
class DashboardEventsTests {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private ConfigurableApplicationContext app;

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void whenANodeComesAndGoesThenEveryOpenStreamReceivesTheChange() throws Exception {
		this.app = DashboardApp.start("micro.dashboard.heartbeat-interval=200ms");
		DashboardEvents events = this.app.getBean(DashboardEvents.class);
		Registry registry = this.app.getBean(Registry.class);
		assertThat(events.watching()).as("no watch before the first stream").isFalse();

		try (Stream first = open(); Stream second = open()) {
			assertThat(first.next("event:")).isEqualTo("event:ready");
			assertThat(first.next("data:")).isEqualTo("data:{\"registry\":\"memory\"}");
			assertThat(second.next("event:")).isEqualTo("event:ready");
			assertThat(events.clients()).isEqualTo(2);
			assertThat(events.watching()).isTrue();

			Service other = new Service("other", "1.0", Map.of(), List.of(),
					List.of(new Node("other-1", "127.0.0.1:1", Map.of())));
			registry.register(other, Duration.ZERO);
			String created = "data:{\"type\":\"create\",\"service\":\"other\",\"version\":\"1.0\",\"nodes\":[\"other-1\"]}";
			assertThat(first.next("data:{\"type\"")).isEqualTo(created);
			assertThat(second.next("data:{\"type\"")).isEqualTo(created);

			registry.deregister(other);
			assertThat(first.next("data:{\"type\"")).contains("\"type\":\"delete\"", "\"other-1\"");
			assertThat(first.next(":")).as("a heartbeat comment").isEqualTo(":heartbeat");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> events.clients() == 0);
		assertThat(events.watching()).as("the watch ends with the last stream").isFalse();
	}

	@Test
	void whenATabGoesAwayThenItsStreamIsDroppedAtTheNextHeartbeat() throws Exception {
		this.app = DashboardApp.start("micro.dashboard.heartbeat-interval=100ms");
		DashboardEvents events = this.app.getBean(DashboardEvents.class);

		Stream stream = open();
		assertThat(stream.next("event:")).isEqualTo("event:ready");
		assertThat(events.clients()).isEqualTo(1);
		stream.close();

		await().atMost(Duration.ofSeconds(10)).until(() -> events.clients() == 0);
		assertThat(events.watching()).isFalse();
		try (Stream again = open()) {
			assertThat(again.next("event:")).as("a new stream starts a new watch").isEqualTo("event:ready");
			assertThat(events.watching()).isTrue();
		}
	}

	@Test
	void whenTheContextStopsThenOpenStreamsEndSoTheWebServerDoesNotWaitForThem() throws Exception {
		this.app = DashboardApp.start();
		DashboardEvents events = this.app.getBean(DashboardEvents.class);
		Stream stream = open();
		assertThat(stream.next("event:")).isEqualTo("event:ready");

		this.app.stop();

		assertThat(events.clients()).isZero();
		assertThat(events.watching()).isFalse();
		assertThat(stream.end()).as("the server ended the stream").isTrue();
		stream.close();
	}

	@Test
	void whenMaxClientsAreOpenThenOneMoreIsRefusedWith503() throws Exception {
		this.app = DashboardApp.start("micro.dashboard.max-clients=1");

		try (Stream first = open()) {
			assertThat(first.next("event:")).isEqualTo("event:ready");
			HttpResponse<String> refused = http.send(request(), HttpResponse.BodyHandlers.ofString());

			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.body()).contains("too many live-update streams: 1 open");
		}
	}

	private HttpRequest request() {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + DashboardApp.port(this.app) + "/micro/api/events"))
			.header("Accept", "text/event-stream")
			.build();
	}

	private Stream open() throws Exception {
		HttpResponse<InputStream> response = http.send(request(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
		return new Stream(response.body());
	}

	/** One open event stream, read line by line. */
	private static final class Stream implements AutoCloseable {

		private final InputStream body;

		private final BufferedReader reader;

		Stream(InputStream body) {
			this.body = body;
			this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
		}

		/** The next line starting with {@code prefix}, waiting at most 10 seconds. */
		String next(String prefix) throws Exception {
			return await().atMost(Duration.ofSeconds(10)).until(() -> {
				String line;
				while ((line = this.reader.readLine()) != null) {
					if (line.startsWith(prefix)) {
						return line;
					}
				}
				throw new AssertionError("the stream ended");
			}, (line) -> true);
		}

		/** Whether the stream ends (within 10 seconds) after the lines still unread. */
		boolean end() {
			return await().atMost(Duration.ofSeconds(10)).until(() -> {
				while (this.reader.readLine() != null) {
					// skip what was still sent
				}
				return true;
			}, (ended) -> ended);
		}

		@Override
		public void close() throws Exception {
			this.body.close();
		}

	}

}
