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
import io.micro4j.spring.boot.autoconfigure.actuate.MicroActuatorAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.Greeter;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.GreeterClient;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.HelloRequest;
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
 * A registry outage under load, as the acceptance tests of honest operations run it: two services (Spring Boot
 * applications in this JVM, both registered as {@code greeter}, each calling itself and the other through the
 * registry) with four threads calling every 5 ms; the registry is stopped for the outage and started again. While it
 * is down, each service's liveness group and registry health are polled every 0.5 s. {@link #run} asserts what the
 * acceptance criterion asks and returns what it measured.
 */
final class RegistryOutageScenario implements AutoCloseable {

	private static final int SERVICES = 2;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	/** What one run measured. */
	record Result(Duration outage, long calls, long callsDuringAndAfter, int failed, List<String> warnings,
			List<String> outageInfos) {

		@Override
		public String toString() {
			return String.format("outage %.1f s: %d calls (%d during and after the outage), %d failed; WARN: %s; "
					+ "outage INFO: %s", this.outage.toMillis() / 1000.0, this.calls, this.callsDuringAndAfter,
					this.failed, this.warnings, this.outageInfos);
		}

	}

	/**
	 * Runs the scenario.
	 * @param properties the registry settings of both services
	 * @param stop stops the registry
	 * @param start starts it again
	 * @param outage how long it stays stopped
	 * @param subject how the registry's outage lines begin, e.g. {@code "etcd registry at http://127.0.0.1:2379"}
	 */
	Result run(String[] properties, Runnable stop, Runnable start, Duration outage, String subject)
			throws InterruptedException {
		for (int i = 0; i < SERVICES; i++) {
			this.contexts.add(startService(properties));
		}
		for (ConfigurableApplicationContext service : this.contexts) {
			HealthEndpoint health = service.getBean(HealthEndpoint.class);
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(health.healthForPath("readiness", "micro-server").getStatus())
					.isEqualTo(Status.UP));
			assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
		}
		// each application's start sets logging up again: capture from here on
		this.log.start();
		this.root.addAppender(this.log);

		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong calls = new AtomicLong();
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		List<Thread> load = new ArrayList<>();
		for (ConfigurableApplicationContext service : this.contexts) {
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
						pause(5);
					}
				}, "outage-load-" + load.size());
				load.add(thread);
				thread.start();
			}
		}
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() > 200);
			long callsBefore = calls.get();
			long stoppedAt = System.nanoTime();
			stop.run();
			List<Status> liveness = new ArrayList<>();
			boolean sawDegraded = false;
			while (System.nanoTime() - stoppedAt < outage.toNanos()) {
				for (ConfigurableApplicationContext service : this.contexts) {
					liveness.add(service.getBean(HealthEndpoint.class).healthForPath("liveness").getStatus());
					Health registry = registryHealth(service);
					assertThat(registry.getStatus()).isEqualTo(Status.UP);
					sawDegraded |= Boolean.FALSE.equals(registry.getDetails().get("reachable"));
				}
				pause(500);
			}
			start.run();
			Duration length = Duration.ofNanos(System.nanoTime() - stoppedAt);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(lines(Level.INFO, subject + " is reachable again")).hasSize(SERVICES));
			for (ConfigurableApplicationContext service : this.contexts) {
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(registryHealth(service).getDetails())
						.containsEntry("reachable", true));
			}
			pause(2000);
			running.set(false);
			for (Thread thread : load) {
				thread.join(10_000);
			}
			Result result = new Result(length, calls.get(), calls.get() - callsBefore, failures.size(),
					lines(Level.WARN, ""), lines(Level.INFO, subject));
			System.out.println("Registry outage scenario: " + result);

			assertThat(failures).isEmpty();
			assertThat(result.callsDuringAndAfter()).isGreaterThan(500);
			assertThat(sawDegraded).as("registry health showed the outage as degraded").isTrue();
			assertThat(liveness).isNotEmpty().containsOnly(Status.UP);
			assertThat(lines(Level.WARN, subject + " is unreachable: ")).hasSize(SERVICES);
			assertThat(lines(Level.INFO, subject + " is reachable again after ")).hasSize(SERVICES);
			assertThat(result.warnings()).as("no other WARN").hasSize(SERVICES);
			assertThat(lines(Level.ERROR, "")).isEmpty();
			for (ConfigurableApplicationContext service : this.contexts) {
				assertThat(service.getBean(HealthEndpoint.class).healthForPath("readiness").getStatus())
					.isEqualTo(Status.UP);
			}
			return result;
		}
		finally {
			running.set(false);
		}
	}

	@Override
	public void close() {
		this.root.detachAppender(this.log);
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	private static ConfigurableApplicationContext startService(String[] properties) {
		return new SpringApplicationBuilder(GreeterApp.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("micro.registry.health-probe-interval=2s", "micro.server.address=127.0.0.1:0",
					"spring.main.register-shutdown-hook=false", "spring.application.name=greeter",
					"greeter.instance=greeter")
			.properties(properties)
			.run();
	}

	private List<String> lines(Level level, String startingWith) {
		List<String> lines = new ArrayList<>();
		for (ILoggingEvent event : List.copyOf(this.log.list)) {
			String message = event.getFormattedMessage();
			if (event.getLevel() == level && message.startsWith(startingWith)) {
				lines.add(event.getLoggerName() + ": " + message);
			}
		}
		return lines;
	}

	private static Health registryHealth(ConfigurableApplicationContext context) {
		return context.getBean(MicroActuatorAutoConfiguration.REGISTRY_HEALTH_BEAN_NAME, HealthIndicator.class)
			.health();
	}

	private static void pause(long millis) {
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
