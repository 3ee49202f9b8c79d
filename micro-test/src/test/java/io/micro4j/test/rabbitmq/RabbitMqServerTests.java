package io.micro4j.test.rabbitmq;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RabbitMqServerTests {

	@Test
	void whenTheBinaryIsMissingThenStartingFailsWithTheInstallHint() {
		try (RabbitMqServer server = new RabbitMqServer(Path.of("/nonexistent/rabbitmq/bin"))) {
			assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("apt-get install rabbitmq-server");
		}
	}

	@Test
	void whenTheNodeRunsThenItListensOnLoopbackAndClosingStopsItAndItsEpmd() {
		RabbitMqServer server = new RabbitMqServer();
		server.start();
		int port = server.port();
		int epmd = server.epmdPort();
		try {
			assertThat(server.isRunning()).isTrue();
			assertThat(accepts(port)).isTrue();
			assertThat(accepts(epmd)).isTrue();
			assertThat(server.ctl("status")).contains(server.nodeName());
			assertThat(server.amqpUri()).isEqualTo("amqp://guest:guest@127.0.0.1:" + port);
		}
		finally {
			server.close();
			server.close();
		}

		assertThat(server.isRunning()).isFalse();
		await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(port) && !accepts(epmd));
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
