package io.micro4j.spring.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.server.DefaultServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The rules of docs/health.md, checked against a registry that fails on demand. */
class HealthIndicatorRulesTests {

	private final MemoryRegistry memory = new MemoryRegistry();

	private final Switchable registry = new Switchable(this.memory);

	@AfterEach
	void close() {
		this.memory.close();
	}

	@Test
	void whenTheRegistryFailsAfterAnsweringThenItIsUpButDegradedAndBackWhenItAnswers() {
		try (RegistryHealthIndicator indicator = new RegistryHealthIndicator(this.registry, Duration.ofSeconds(2),
				Duration.ofMillis(50))) {
			assertThat(indicator.health().getDetails()).containsEntry("reachable", true).containsEntry("state", "ok");

			this.registry.down.set(true);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(indicator.health().getDetails()).containsEntry("reachable", false));
			Health degraded = indicator.health();
			assertThat(degraded.getStatus()).isEqualTo(Status.UP);
			assertThat(degraded.getDetails()).containsEntry("state", "degraded")
				.containsEntry("cause", "RegistryException: registry down")
				.containsKey("since");

			this.registry.down.set(false);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(indicator.health().getDetails()).containsEntry("reachable", true));
		}
	}

	@Test
	void whenTheRegistryHasNeverAnsweredThenItIsDown() {
		this.registry.down.set(true);
		try (RegistryHealthIndicator indicator = new RegistryHealthIndicator(this.registry, Duration.ofSeconds(2),
				Duration.ofMillis(50))) {
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reachable", false);
		}
	}

	@Test
	void theProbeReadsOneServiceNotTheWholeRegistry() {
		try (RegistryHealthIndicator indicator = new RegistryHealthIndicator(this.registry, Duration.ofSeconds(2),
				Duration.ofSeconds(60))) {
			for (int i = 0; i < 100; i++) {
				indicator.health();
			}
			assertThat(this.registry.lists).hasValue(0);
			assertThat(this.registry.reads).hasValue(1);
		}
	}

	@Test
	void whenTheFirstRegistrationIsPendingThenTheServerIsNotReadyAndOnceRegisteredItStaysReady() {
		this.registry.down.set(true);
		try (DefaultServer server = DefaultServer.builder("greeter")
			.address("127.0.0.1:0")
			.registry(this.registry)
			.registerInterval(Duration.ofMillis(400))
			.build()) {
			MicroServerHealthIndicator indicator = new MicroServerHealthIndicator(server);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			server.start();
			Health pending = indicator.health();
			assertThat(pending.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(pending.getDetails()).containsEntry("registered", false)
				.containsEntry("reason", "first registration pending");

			this.registry.down.set(false);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));

			this.registry.down.set(true);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(indicator.health().getDetails()).containsEntry("registered", false));
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			this.registry.down.set(false);
		}
	}

	/** A registry that fails every call while {@link #down} is set, and counts reads and listings. */
	private static final class Switchable implements Registry {

		final AtomicBoolean down = new AtomicBoolean();

		final AtomicInteger reads = new AtomicInteger();

		final AtomicInteger lists = new AtomicInteger();

		private final Registry delegate;

		Switchable(Registry delegate) {
			this.delegate = delegate;
		}

		private void check() {
			if (this.down.get()) {
				throw new RegistryException("registry down");
			}
		}

		@Override
		public String name() {
			return "switchable";
		}

		@Override
		public void register(Service service, Duration ttl) {
			check();
			this.delegate.register(service, ttl);
		}

		@Override
		public void deregister(Service service) {
			check();
			this.delegate.deregister(service);
		}

		@Override
		public List<Service> getService(String name) {
			this.reads.incrementAndGet();
			check();
			return this.delegate.getService(name);
		}

		@Override
		public List<Service> listServices() {
			this.lists.incrementAndGet();
			check();
			return this.delegate.listServices();
		}

		@Override
		public Watch watch(@Nullable String service, RegistryListener listener) {
			check();
			return this.delegate.watch(service, listener);
		}

		@Override
		public void close() {
		}

	}

}
