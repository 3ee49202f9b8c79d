package io.micro4j.broker.rabbitmq;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micro4j.broker.BrokerException;
import io.micro4j.broker.Message;
import io.micro4j.metadata.Metadata;
import io.micro4j.test.rabbitmq.RabbitMqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Acceptance: with ack-on-success and a durable queue, a consumer process killed with SIGKILL mid-stream and
 * started again loses no message whose publish was confirmed.
 */
class RabbitBrokerConsumerCrashTests {

	@RegisterExtension
	static final RabbitMqServer rabbit = new RabbitMqServer();

	private static final int MESSAGES = 2000;

	@TempDir
	Path dir;

	@Test
	void whenTheConsumerProcessIsKilledMidStreamAndRestartedThenNoConfirmedMessageIsMissing() throws Exception {
		String topic = "crash." + UUID.randomUUID();
		String queue = "crash-" + UUID.randomUUID();
		Path received = this.dir.resolve("received.txt");
		Set<String> confirmed = ConcurrentHashMap.newKeySet();
		Process first = startConsumer(topic, queue, received, "first");
		Process second = null;
		try (RabbitBroker publisher = RabbitBroker.builder(rabbit.amqpUri()).durableQueue(true).build()) {
			CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
				for (int i = 0; i < MESSAGES; i++) {
					String id = "m-" + i;
					try {
						publisher.publish(topic, new Message(Metadata.of("Micro-Id", id, "Content-Type",
								"application/json"), ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
						confirmed.add(id);
					}
					catch (BrokerException ex) {
						// not confirmed: no promise was made for this one
					}
				}
			});
			await().atMost(Duration.ofSeconds(60)).until(() -> lines(received).size() >= 300);

			first.destroyForcibly();
			assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
			int beforeRestart = lines(received).size();
			second = startConsumer(topic, queue, received, "second");
			publishing.get(60, TimeUnit.SECONDS);

			assertThat(beforeRestart).isLessThan(MESSAGES);
			assertThat(confirmed).hasSize(MESSAGES);
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(new HashSet<>(lines(received))).containsAll(confirmed));
		}
		finally {
			first.destroyForcibly();
			if (second != null) {
				second.destroyForcibly();
				second.waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	private Process startConsumer(String topic, String queue, Path received, String name) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				RecordingConsumer.class.getName(), rabbit.amqpUri(), topic, queue, received.toString(), "1");
		builder.redirectErrorStream(true);
		Process process = builder.start();
		BufferedReader output = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		Path log = this.dir.resolve(name + ".log");
		CompletableFuture<Boolean> ready = new CompletableFuture<>();
		Thread pump = new Thread(() -> {
			try (var writer = Files.newBufferedWriter(log)) {
				String line;
				while ((line = output.readLine()) != null) {
					if (line.equals("ready")) {
						ready.complete(true);
					}
					writer.write(line);
					writer.newLine();
				}
			}
			catch (IOException ex) {
				// the process died
			}
			ready.complete(false);
		});
		pump.setDaemon(true);
		pump.start();
		boolean started;
		try {
			started = ready.get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			process.destroyForcibly();
			started = false;
		}
		assertThat(started).as("consumer %s started (classpath entries: %s); its output:%n%s", name,
				System.getProperty("java.class.path").split(File.pathSeparator).length, readQuietly(log)).isTrue();
		return process;
	}

	private static List<String> lines(Path file) throws IOException {
		if (!Files.exists(file)) {
			return List.of();
		}
		return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(line -> !line.isEmpty()).toList();
	}

	private static String readQuietly(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			return "(none)";
		}
	}

}
