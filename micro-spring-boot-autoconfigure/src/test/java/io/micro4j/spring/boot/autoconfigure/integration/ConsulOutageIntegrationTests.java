package io.micro4j.spring.boot.autoconfigure.integration;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micro4j.test.consul.ConsulServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Honest operations with Consul: the agent is frozen (SIGSTOP) for 15 seconds under load, as a partitioned or
 * stalled agent would be, and resumed (SIGCONT). Freezing rather than restarting keeps its ports bound (a restarted
 * dev agent must get all six of its ports back, which a busy machine does not guarantee) and makes the failure the
 * harder one: calls are not refused but time out. No call fails, each service logs exactly one WARN when the agent
 * stops answering and one INFO when it answers again (and no other WARN), liveness stays UP and the registry health
 * shows the outage as degraded ({@link RegistryOutageScenario}).
 */
class ConsulOutageIntegrationTests {

	@RegisterExtension
	static final ConsulServer consul = new ConsulServer();

	private final RegistryOutageScenario scenario = new RegistryOutageScenario();

	@AfterEach
	void close() {
		signal("CONT");
		this.scenario.close();
	}

	@Test
	void whenTheAgentIsFrozenForFifteenSecondsUnderLoadThenNoCallFailsEachServiceLogsOneWarnAndOneInfoAndLivenessStaysUp()
			throws Exception {
		this.scenario.run(
				new String[] { "micro.registry.type=consul", "micro.registry.address=" + consul.address(),
						"micro.registry.consul.timeout=2s", "micro.registry.consul.heartbeat=1s" },
				() -> signal("STOP"), () -> signal("CONT"), Duration.ofSeconds(15),
				"Consul registry at http://" + consul.address());
	}

	/** Sends SIGSTOP or SIGCONT to the agent this test class started (the only consul agent this JVM runs). */
	private static void signal(String signal) {
		List<ProcessHandle> agents = ProcessHandle.current()
			.descendants()
			.filter(process -> process.info().commandLine().orElse("").matches(".*consul agent -dev.*"))
			.toList();
		assertThat(agents).hasSize(1);
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(agents.get(0).pid()))
				.redirectErrorStream(true)
				.start();
			assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
			assertThat(kill.exitValue()).isZero();
		}
		catch (IOException ex) {
			throw new IllegalStateException("kill -" + signal + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
