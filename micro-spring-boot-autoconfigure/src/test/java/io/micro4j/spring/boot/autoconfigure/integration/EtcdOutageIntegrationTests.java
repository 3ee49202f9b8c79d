package io.micro4j.spring.boot.autoconfigure.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micro4j.registry.Registry;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.spring.boot.autoconfigure.actuate.MicroActuatorAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.Greeter;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.GreeterClient;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.HelloRequest;
import io.micro4j.test.etcd.EtcdServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Acceptance test of honest operations: two services, each calling the greeter through etcd under steady load,
 * while etcd is killed for 30 seconds and started again on the same port and data. No call may fail, each service
 * logs exactly one WARN when etcd becomes unreachable and one INFO when it is back (and no other WARN), and
 * liveness stays UP throughout while the registry health shows the outage as degraded.
 */
class EtcdOutageIntegrationTests {

	private static final Duration OUTAGE = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	@AfterEach
	void closeAll() {
		this.root.detachAppender(this.log);
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	private ConfigurableApplicationContext start(String name) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(GreeterApp.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("micro.registry.type=etcd", "micro.registry.address=" + etcd.address(),
					"micro.registry.etcd.timeout=2s", "micro.registry.health-probe-interval=2s",
					"micro.server.address=127.0.0.1:0", "spring.main.register-shutdown-hook=false",
					"spring.application.name=" + name, "greeter.instance=" + name)
			.run();
		this.contexts.add(context);
		return context;
	}

	@Test
	void whenEtcdIsDownForThirtySecondsUnderLoadThenNoCallFailsEachServiceLogsOneWarnAndOneInfoAndLivenessStaysUp()
			throws Exception {
		// both register as "greeter": each service calls the greeter, its own node and the other one
		ConfigurableApplicationContext first = start("greeter");
		ConfigurableApplicationContext second = start("greeter");
		List<ConfigurableApplicationContext> services = List.of(first, second);
		for (ConfigurableApplicationContext service : services) {
			assertThat(service.getBean(Registry.class)).isInstanceOf(EtcdRegistry.class);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(health(service).healthForPath("readiness").getStatus())
					.isEqualTo(Status.UP));
		}
		// logging is set up by each application's start: capture from here on
		this.log.start();
		this.root.addAppender(this.log);

		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong calls = new AtomicLong();
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		List<Thread> load = new ArrayList<>();
		for (ConfigurableApplicationContext service : services) {
			GreeterClient greeter = service.getBean(GreeterClient.class);
			for (int i = 0; i < 2; i++) {
				Thread thread = new Thread(() -> {
					while (running.get()) {
						try {
							greeter.hello(new HelloRequest("load"));
						}
						catch (RuntimeException ex) {
							failures.add(ex);
						}
						calls.incrementAndGet();
						sleep(5);
					}
				}, "load-" + load.size());
				load.add(thread);
				thread.start();
			}
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() > 200);

		long callsBefore = calls.get();
		long killedAt = System.nanoTime();
		etcd.kill();
		List<Status> liveness = new ArrayList<>();
		boolean sawDegraded = false;
		while (System.nanoTime() - killedAt < OUTAGE.toNanos()) {
			for (ConfigurableApplicationContext service : services) {
				liveness.add(health(service).healthForPath("liveness").getStatus());
				Health registry = registryHealth(service);
				assertThat(registry.getStatus()).isEqualTo(Status.UP);
				sawDegraded |= Boolean.FALSE.equals(registry.getDetails().get("reachable"));
			}
			sleep(500);
		}
		etcd.restart();
		Duration outage = Duration.ofNanos(System.nanoTime() - killedAt);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(lines(Level.INFO, "is reachable again")).hasSize(services.size()));
		for (ConfigurableApplicationContext service : services) {
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(registryHealth(service).getDetails()).containsEntry("reachable", true));
		}
		sleep(2000);
		running.set(false);
		for (Thread thread : load) {
			thread.join(10_000);
		}

		List<String> warnings = lines(Level.WARN, "");
		List<String> infos = lines(Level.INFO, "");
		System.out.printf("etcd outage %.1f s: %d calls (%d during and after the outage), %d failed; "
				+ "WARN lines: %s; INFO lines: %s%n", outage.toMillis() / 1000.0, calls.get(),
				calls.get() - callsBefore, failures.size(), warnings, infos);
		assertThat(failures).isEmpty();
		assertThat(calls.get() - callsBefore).isGreaterThan(1000);
		assertThat(sawDegraded).isTrue();
		assertThat(liveness).isNotEmpty().containsOnly(Status.UP);
		assertThat(lines(Level.WARN, "is unreachable")).hasSize(services.size())
			.allMatch(line -> line.startsWith("etcd registry at http://" + etcd.address() + " is unreachable: "));
		assertThat(lines(Level.INFO, "is reachable again")).hasSize(services.size());
		assertThat(warnings).as("no other WARN").hasSize(services.size());
		assertThat(lines(Level.ERROR, "")).isEmpty();
		for (ConfigurableApplicationContext service : services) {
			assertThat(health(service).healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
		}
	}

	private List<String> lines(Level level, String containing) {
		List<String> lines = new ArrayList<>();
		for (ILoggingEvent event : List.copyOf(this.log.list)) {
			String message = event.getFormattedMessage();
			if (event.getLevel() == level && message.contains(containing)) {
				lines.add((level == Level.INFO && containing.isEmpty()) ? event.getLoggerName() + ": " + message
						: message);
			}
		}
		return lines;
	}

	private static HealthEndpoint health(ConfigurableApplicationContext context) {
		return context.getBean(HealthEndpoint.class);
	}

	private static Health registryHealth(ConfigurableApplicationContext context) {
		return context.getBean(MicroActuatorAutoConfiguration.REGISTRY_HEALTH_BEAN_NAME, HealthIndicator.class)
			.health();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Greeter.class)
	static class GreeterApp {

	}

}
