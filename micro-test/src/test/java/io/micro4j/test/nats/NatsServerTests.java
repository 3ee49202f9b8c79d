package io.micro4j.test.nats;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class NatsServerTests {

	@Test
	void whenStartedThenItGreetsOnLoopbackAndComesBackOnTheSamePortAfterAStop() throws IOException {
		try (NatsServer nats = new NatsServer()) {
			nats.start();
			int port = nats.port();
			assertThat(nats.url()).isEqualTo("nats://127.0.0.1:" + port);
			assertThat(greeting(port)).startsWith("INFO {").contains("\"port\":" + port);

			nats.stop();
			nats.start();

			assertThat(nats.port()).isEqualTo(port);
			assertThat(greeting(port)).startsWith("INFO {");
		}
	}

	@Test
	void whenTheBinaryIsMissingThenStartingFailsWithTheInstallHint() {
		String previous = System.getProperty(NatsServer.BINARY_PROPERTY);
		System.setProperty(NatsServer.BINARY_PROPERTY, "/nonexistent/nats-server");
		try (NatsServer nats = new NatsServer()) {
			assertThatIllegalStateException().isThrownBy(nats::start)
				.withMessageContaining("apt-get install nats-server");
		}
		finally {
			if (previous == null) {
				System.clearProperty(NatsServer.BINARY_PROPERTY);
			}
			else {
				System.setProperty(NatsServer.BINARY_PROPERTY, previous);
			}
		}
	}

	@Test
	void whenNeverStartedThenAskingForTheUrlFails() {
		assertThatIllegalStateException().isThrownBy(() -> new NatsServer().url()).withMessageContaining("not started");
	}

	private static String greeting(int port) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(5000);
			InputStream in = socket.getInputStream();
			StringBuilder line = new StringBuilder();
			for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
				line.append((char) b);
			}
			return new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
		}
	}

}
