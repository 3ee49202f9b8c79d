package io.micro4j.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micro4j.broker.Event;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.rabbitmq.RabbitBroker;
import io.micro4j.cli.Cli.Run;
import io.micro4j.test.rabbitmq.RabbitMqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code --broker rabbitmq}: publish through a real RabbitMQ node, confirmed before the command returns. */
@Timeout(180)
class CliRabbitMqTests {

	@RegisterExtension
	static final RabbitMqServer rabbit = new RabbitMqServer();

	@Test
	void publishThroughRabbitMqReachesTheSubscriber() {
		List<Event> received = new CopyOnWriteArrayList<>();
		try (RabbitBroker subscriber = RabbitBroker.builder(rabbit.amqpUri()).build()) {
			subscriber.subscribe("rabbit.events", received::add, SubscribeOptions.defaults());
			Run run = Cli.run(Map.of("MICRO_BROKER", "rabbitmq", "MICRO_BROKER_ADDRESS", rabbit.amqpUri()), "publish",
					"rabbit.events", "{\"id\":\"r1\"}", "-m", "X-Source=cli");
			assertThat(run.code()).as(run.toString()).isZero();
			assertThat(run.out()).isEqualTo("published to rabbit.events via rabbitmq\n");
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received).hasSize(1));
		}
		Event event = received.get(0);
		assertThat(new String(event.message().body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"r1\"}\n");
		assertThat(event.message().headers().get("Micro-Topic")).hasValue("rabbit.events");
		assertThat(event.message().headers().get("X-Source")).hasValue("cli");
	}

	@Test
	void anUnreachableRabbitMqIsExitCodeFour() throws Exception {
		String closed = "amqp://guest:guest@127.0.0.1:" + io.micro4j.test.support.ServerProcess.freePort();
		Run run = Cli.run(Map.of(), "--broker", "rabbitmq", "--broker_address", closed, "--timeout", "2s", "publish",
				"x", "{}");
		assertThat(run.code()).as(run.toString()).isEqualTo(MicroCli.BROKER_UNREACHABLE);
		assertThat(run.err()).startsWith("micro: broker rabbitmq at " + closed).hasLineCount(1);
	}

}
