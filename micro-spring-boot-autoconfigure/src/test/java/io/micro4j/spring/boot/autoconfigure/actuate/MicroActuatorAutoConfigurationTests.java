package io.micro4j.spring.boot.autoconfigure.actuate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.spring.actuate.BrokerHealthIndicator;
import io.micro4j.spring.actuate.MicroActuatorEndpoint;
import io.micro4j.spring.actuate.RegistryHealthIndicator;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micro4j.test.etcd.EtcdServer;
import io.micro4j.test.nats.NatsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The health indicators and the {@code micro} endpoint: when they exist, and what they report against real
 * registries and brokers (memory, etcd, NATS), up and down.
 */
class MicroActuatorAutoConfigurationTests {

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	@RegisterExtension
	static final NatsServer nats = new NatsServer();

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly()
		.withConfiguration(AutoConfigurations.of(MicroActuatorAutoConfiguration.class));

	@Test
	void whenHealthIsOnTheClasspathThenRegistryAndBrokerIndicatorsAreUpWithTheirTypes() {
		this.runner.run(context -> {
			assertThat(context).hasNotFailed();
			Health registry = registryHealth(context);
			assertThat(registry.getStatus()).isEqualTo(Status.UP);
			assertThat(registry.getDetails()).containsEntry("type", "memory").containsEntry("reachable", true);
			Health broker = brokerHealth(context);
			assertThat(broker.getStatus()).isEqualTo(Status.UP);
			assertThat(broker.getDetails()).containsEntry("type", "memory").containsKey("address");
		});
	}

	@Test
	void whenHealthIsNotOnTheClasspathThenThereAreNoIndicators() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(MicroActuatorAutoConfiguration.REGISTRY_HEALTH_BEAN_NAME);
			assertThat(context).doesNotHaveBean(MicroActuatorAutoConfiguration.BROKER_HEALTH_BEAN_NAME);
		});
	}

	@Test
	void whenRegistryIndicatorIsDisabledThenOnlyTheBrokerIndicatorExists() {
		this.runner.withPropertyValues("management.health.micro-registry.enabled=false").run(context -> {
			assertThat(context).doesNotHaveBean(RegistryHealthIndicator.class);
			assertThat(context).hasSingleBean(BrokerHealthIndicator.class);
		});
	}

	@Test
	void whenBrokerIndicatorIsDisabledThenOnlyTheRegistryIndicatorExists() {
		this.runner.withPropertyValues("management.health.micro-broker.enabled=false").run(context -> {
			assertThat(context).hasSingleBean(RegistryHealthIndicator.class);
			assertThat(context).doesNotHaveBean(BrokerHealthIndicator.class);
		});
	}

	@Test
	void whenHealthIndicatorsAreDisabledByDefaultThenThereAreNone() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false").run(context -> {
			assertThat(context).doesNotHaveBean(RegistryHealthIndicator.class);
			assertThat(context).doesNotHaveBean(BrokerHealthIndicator.class);
		});
	}

	@Test
	void whenTheRegistryAnswersThenItIsUpAndReachable() {
		this.runner.run(context -> {
			Health health = registryHealth(context);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("type", "memory")
				.containsEntry("reachable", true)
				.containsEntry("state", "ok")
				.containsKey("probedAt");
		});
	}

	// changed with the health rule of docs/health.md: an outage the service rides out is UP with degraded details
	@Test
	void whenEtcdRunsThenRegistryIsUpAndWhenItIsKilledThenStillUpButDegraded() {
		this.runner
			.withPropertyValues("micro.registry.type=etcd", "micro.registry.address=" + etcd.address(),
					"micro.registry.etcd.timeout=1s", "micro.registry.health-probe-interval=100ms")
			.run(context -> {
				Health up = registryHealth(context);
				assertThat(up.getStatus()).isEqualTo(Status.UP);
				assertThat(up.getDetails()).containsEntry("type", "etcd").containsEntry("reachable", true);

				etcd.kill();
				try {
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(registryHealth(context).getDetails())
							.containsEntry("reachable", false));
					Health degraded = registryHealth(context);
					assertThat(degraded.getStatus()).isEqualTo(Status.UP);
					assertThat(degraded.getDetails()).containsEntry("state", "degraded")
						.containsKeys("since", "cause");
				}
				finally {
					etcd.restart();
				}
				await().atMost(Duration.ofSeconds(20))
					.untilAsserted(() -> assertThat(registryHealth(context).getDetails())
						.containsEntry("reachable", true));
			});
	}

	@Test
	void whenNothingEverListensOnTheEtcdAddressThenRegistryIsDown() throws IOException {
		this.runner
			.withPropertyValues("micro.registry.type=etcd", "micro.registry.address=127.0.0.1:" + closedPort(),
					"micro.registry.etcd.timeout=1s")
			.run(context -> {
				Health health = registryHealth(context);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("reachable", false).containsKeys("since", "cause");
			});
	}

	@Test
	void whenTheRegistryDoesNotAnswerWithinTheHealthTimeoutThenItIsDownAsTimedOut() throws IOException {
		// a listener that accepts connections and never answers: etcd's own 10 s timeout is far away
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			Thread acceptor = new Thread(() -> acceptForever(silent), "silent-etcd");
			acceptor.setDaemon(true);
			acceptor.start();
			this.runner
				.withPropertyValues("micro.registry.type=etcd",
						"micro.registry.address=127.0.0.1:" + silent.getLocalPort(),
						"micro.registry.etcd.timeout=10s", "micro.registry.health-timeout=300ms")
				.run(context -> {
					long started = System.nanoTime();
					Health first = registryHealth(context);
					Health second = registryHealth(context);
					Duration took = Duration.ofNanos(System.nanoTime() - started);

					assertThat(first.getStatus()).isEqualTo(Status.DOWN);
					assertThat(first.getDetails()).containsEntry("cause", "no answer within PT0.3S");
					assertThat(second.getStatus()).isEqualTo(Status.DOWN);
					assertThat(took).isLessThan(Duration.ofSeconds(5));
				});
		}
	}

	// changed with the health rule of docs/health.md: a reconnecting broker is UP with degraded details
	@Test
	void whenNatsIsConnectedThenBrokerIsUpAndWhileNatsIsStoppedThenStillUpButDegraded() {
		this.runner
			.withPropertyValues("micro.broker.type=nats", "micro.broker.address=" + nats.url(),
					"micro.broker.nats.connection-timeout=1s")
			.run(context -> {
				Health up = brokerHealth(context);
				assertThat(up.getStatus()).isEqualTo(Status.UP);
				assertThat(up.getDetails()).containsEntry("type", "nats").containsEntry("address", nats.url());
				try {
					nats.stop();
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(brokerHealth(context).getDetails())
							.containsEntry("connected", false));
					Health degraded = brokerHealth(context);
					assertThat(degraded.getStatus()).isEqualTo(Status.UP);
					assertThat(degraded.getDetails()).containsEntry("state", "degraded").containsKey("since");
				}
				finally {
					nats.start();
				}
				await().atMost(Duration.ofSeconds(20))
					.untilAsserted(() -> assertThat(brokerHealth(context).getDetails())
						.containsEntry("connected", true));
			});
	}

	@Test
	void whenThereIsNoMicroServerThenTheServerIndicatorIsUpWithoutOne() {
		this.runner.run(context -> {
			HealthIndicator server = context.getBean(MicroActuatorAutoConfiguration.SERVER_HEALTH_BEAN_NAME,
					HealthIndicator.class);
			assertThat(server.health().getStatus()).isEqualTo(Status.UP);
			assertThat(server.health().getDetails()).containsEntry("server", "none");
		});
	}

	@Test
	void whenTheEndpointIsNotExposedThenItIsNotCreated() {
		this.runner.run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(MicroActuatorEndpoint.class);
		});
	}

	@Test
	void whenTheEndpointIsExposedThenItIsCreated() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=micro")
			.run(context -> assertThat(context).hasSingleBean(MicroActuatorEndpoint.class));
	}

	@Test
	void whenActuatorIsNotOnTheClasspathThenTheEndpointIsNotCreated() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=micro")
			.withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class))
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(MicroActuatorEndpoint.class);
				assertThat(context).hasSingleBean(RegistryHealthIndicator.class);
			});
	}

	private static Health registryHealth(AssertableApplicationContext context) {
		return context.getBean(MicroActuatorAutoConfiguration.REGISTRY_HEALTH_BEAN_NAME, HealthIndicator.class)
			.health();
	}

	private static Health brokerHealth(AssertableApplicationContext context) {
		return context.getBean(MicroActuatorAutoConfiguration.BROKER_HEALTH_BEAN_NAME, HealthIndicator.class)
			.health();
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static void acceptForever(ServerSocket server) {
		try {
			while (true) {
				Socket ignored = server.accept();
				// held open and never answered; closed with the server socket's test
			}
		}
		catch (IOException ex) {
			// the server socket closed at the end of the test
		}
	}

}
