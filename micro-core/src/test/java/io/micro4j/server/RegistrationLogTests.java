package io.micro4j.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micro4j.registry.Reachability;
import io.micro4j.registry.ReachabilityCheck;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import io.micro4j.testsupport.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the server logs about its registration: the truth at start, and registry outages once. */
class RegistrationLogTests {

	@RegisterExtension
	final LogCapture log = new LogCapture("io.micro4j.server");

	private final MemoryRegistry memory = new MemoryRegistry();

	private final List<DefaultServer> servers = new ArrayList<>();

	@AfterEach
	void release() {
		this.servers.forEach(DefaultServer::close);
		this.memory.close();
	}

	private DefaultServer start(Registry registry) {
		DefaultServer server = DefaultServer.builder("greeter")
			.address("127.0.0.1:0")
			.registry(registry)
			.registerInterval(Duration.ofMillis(400))
			.build();
		this.servers.add(server);
		server.start();
		return server;
	}

	@Test
	void whenTheFirstRegistrationSucceedsThenTheStartLineSaysRegistered() {
		DefaultServer server = start(this.memory);

		assertThat(server.wasRegistered()).isTrue();
		assertThat(lines(Level.INFO)).anyMatch(line -> line.contains("registered as " + server.service().nodes().get(0).id()));
		assertThat(lines(Level.WARN)).isEmpty();
	}

	@Test
	void whenTheFirstRegistrationFailsThenTheStartLineSaysPendingAndALaterLineSaysRegistered() {
		FlakyRegistry registry = FlakyRegistry.of(this.memory, 3, false);
		DefaultServer server = start(registry);
		String nodeId = server.service().nodes().get(0).id();

		assertThat(server.wasRegistered()).isFalse();
		assertThat(lines(Level.WARN)).singleElement()
			.satisfies(line -> assertThat(line).contains("registration as " + nodeId)
				.contains("pending, retrying in the background: registry down"));
		assertThat(lines(Level.INFO)).noneMatch(line -> line.contains("registered as"));

		await().atMost(Duration.ofSeconds(10)).until(server::wasRegistered);
		assertThat(lines(Level.INFO)).anyMatch(line -> line.equals(
				"micro server greeter registered as " + nodeId + " in the memory registry after 3 failed attempts"));
		assertThat(lines(Level.WARN)).hasSize(1);
	}

	@Test
	void whenARegistryThatLogsItsOutagesFailsLaterThenTheRegistrationLoopStaysQuiet() {
		FlakyRegistry registry = FlakyRegistry.of(this.memory, 0, true);
		DefaultServer server = start(registry);
		registry.failures.set(3);
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.failures.get() == 0 && server.isRegistered());

		assertThat(server.wasRegistered()).isTrue();
		assertThat(lines(Level.WARN)).isEmpty();
		assertThat(lines(Level.INFO)).noneMatch(line -> line.contains("succeeded again"));
	}

	@Test
	void whenARegistryThatDoesNotLogItsOutagesFailsLaterThenTheRegistrationLoopLogsOnce() {
		FlakyRegistry registry = FlakyRegistry.of(this.memory, 0, false);
		DefaultServer server = start(registry);
		registry.failures.set(3);
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.failures.get() == 0 && server.isRegistered());

		assertThat(lines(Level.WARN)).singleElement().satisfies(line -> assertThat(line).contains("failed, retrying"));
		assertThat(lines(Level.INFO)).filteredOn(line -> line.contains("succeeded again")).hasSize(1);
	}

	private List<String> lines(Level level) {
		return this.log.events()
			.stream()
			.filter((event) -> event.getLevel() == level)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	/** A registry whose next {@code failures} registrations fail; a {@link ReachabilityCheck} when asked. */
	private static class FlakyRegistry implements Registry {

		final AtomicInteger failures;

		private final Registry delegate;

		FlakyRegistry(Registry delegate, int failures) {
			this.delegate = delegate;
			this.failures = new AtomicInteger(failures);
		}

		static FlakyRegistry of(Registry delegate, int failures, boolean logsOutages) {
			return logsOutages ? new Reporting(delegate, failures) : new FlakyRegistry(delegate, failures);
		}

		@Override
		public String name() {
			return this.delegate.name();
		}

		@Override
		public void register(Service service, Duration ttl) {
			if (this.failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
				throw new RegistryException("registry down");
			}
			this.delegate.register(service, ttl);
		}

		@Override
		public void deregister(Service service) {
			this.delegate.deregister(service);
		}

		@Override
		public List<Service> getService(String name) {
			return this.delegate.getService(name);
		}

		@Override
		public List<Service> listServices() {
			return this.delegate.listServices();
		}

		@Override
		public Watch watch(@Nullable String service, RegistryListener listener) {
			return this.delegate.watch(service, listener);
		}

		@Override
		public void close() {
		}

	}

	private static final class Reporting extends FlakyRegistry implements ReachabilityCheck {

		Reporting(Registry delegate, int failures) {
			super(delegate, failures);
		}

		@Override
		public Reachability reachability() {
			return Reachability.up();
		}

	}

}
