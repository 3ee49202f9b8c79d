package io.micro4j.test.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryEvent;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class MemoryRegistryContractTests extends RegistryContractTests {

	@Override
	protected Registry createRegistry() {
		return new MemoryRegistry();
	}

	@Override
	protected Duration expiringTtl() {
		return Duration.ofMillis(500);
	}

	@Test
	void whenTheSameRecordIsRegisteredAgainThenNoEventIsDelivered() {
		String name = uniqueName("greeter");
		Events events = watch(name);
		Service service = greeter(name, "latest", node(name, 1, Map.of()));
		this.registry.register(service, registrationTtl());
		this.registry.register(service, registrationTtl());

		this.registry.register(greeter(name, "latest", node(name, 1, Map.of("color", "red"))), registrationTtl());

		events.await(RegistryEvent.Type.UPDATE, name, node(name, 1, Map.of()).id());
		assertThat(events.types()).containsExactly(RegistryEvent.Type.CREATE, RegistryEvent.Type.UPDATE);
	}

	@Test
	void whenNodesOfOneVersionAdvertiseDifferentEndpointsThenTheFirstRecordSuppliesThem() {
		String name = uniqueName("greeter");
		Service first = greeter(name, "latest", node(name, 1, Map.of()));
		Service second = greeter(name, "latest", node(name, 2, Map.of()))
			.withEndpoints(List.of(new Endpoint("Greeter.Other", null, null, Map.of())));

		this.registry.register(first, registrationTtl());
		this.registry.register(second, registrationTtl());

		List<Service> found = this.registry.getService(name);
		assertThat(found).singleElement().satisfies(service -> {
			assertThat(service.endpoints()).isEqualTo(first.endpoints());
			assertThat(service.nodes()).containsExactly(first.nodes().get(0), second.nodes().get(0));
		});
	}

	@Test
	void whenEventsAreDeliveredThenTheyArriveInOrderOnTheRegistrysThreadNotTheCallers() {
		String name = uniqueName("greeter");
		List<String> threads = new CopyOnWriteArrayList<>();
		List<RegistryEvent.Type> types = new CopyOnWriteArrayList<>();
		this.registry.watch(name, event -> {
			threads.add(Thread.currentThread().getName());
			types.add(event.type());
		});

		for (int i = 0; i < 20; i++) {
			this.registry.register(greeter(name, "latest", node(name, 1, Map.of("n", String.valueOf(i)))),
					registrationTtl());
		}
		this.registry.deregister(greeter(name, "latest", node(name, 1, Map.of())));

		await().atMost(eventTimeout()).until(() -> types.size() == 21);
		assertThat(types.get(0)).isEqualTo(RegistryEvent.Type.CREATE);
		assertThat(types.subList(1, 20)).containsOnly(RegistryEvent.Type.UPDATE);
		assertThat(types.get(20)).isEqualTo(RegistryEvent.Type.DELETE);
		assertThat(threads).doesNotContain(Thread.currentThread().getName()).containsOnly(threads.get(0));
	}

	@Test
	void whenAListenerThrowsThenOtherListenersAndLaterEventsStillArrive() {
		String name = uniqueName("greeter");
		List<RegistryEvent> seenByThrower = new CopyOnWriteArrayList<>();
		this.registry.watch(name, event -> {
			seenByThrower.add(event);
			throw new IllegalStateException("listener failed on purpose");
		});
		Events events = watch(name);

		this.registry.register(greeter(name, "latest", node(name, 1, Map.of())), registrationTtl());
		this.registry.register(greeter(name, "latest", node(name, 2, Map.of())), registrationTtl());

		events.await(RegistryEvent.Type.CREATE, name, node(name, 2, Map.of()).id());
		await().atMost(eventTimeout()).until(() -> seenByThrower.size() == 2);
	}

	@Test
	void whenTheClockPassesTheTtlThenTheRecordIsGoneOnTheNextRead() {
		MutableClock clock = new MutableClock();
		try (MemoryRegistry registry = new MemoryRegistry(clock)) {
			String name = uniqueName("greeter");
			registry.register(greeter(name, "latest", node(name, 1, Map.of())), Duration.ofSeconds(30));
			registry.register(greeter(name, "latest", node(name, 2, Map.of())), Duration.ofSeconds(90));

			clock.advance(Duration.ofSeconds(29));
			assertThat(registry.getService(name).get(0).nodes()).hasSize(2);
			clock.advance(Duration.ofSeconds(1));
			assertThat(registry.getService(name).get(0).nodes()).extracting(node -> node.id())
				.containsExactly(node(name, 2, Map.of()).id());
		}
	}

	@Test
	void whenANodeIsRegisteredAgainBeforeItsTtlThenItsExpiryMovesOn() {
		MutableClock clock = new MutableClock();
		try (MemoryRegistry registry = new MemoryRegistry(clock)) {
			String name = uniqueName("greeter");
			Service service = greeter(name, "latest", node(name, 1, Map.of()));
			registry.register(service, Duration.ofSeconds(30));

			clock.advance(Duration.ofSeconds(20));
			registry.register(service, Duration.ofSeconds(30));
			clock.advance(Duration.ofSeconds(20));

			assertThat(registry.getService(name)).containsExactly(service);
		}
	}

	@Test
	void whenTtlIsZeroThenTheRecordNeverExpires() {
		MutableClock clock = new MutableClock();
		try (MemoryRegistry registry = new MemoryRegistry(clock)) {
			String name = uniqueName("greeter");
			Service service = greeter(name, "latest", node(name, 1, Map.of()));
			registry.register(service, Duration.ZERO);

			clock.advance(Duration.ofDays(3650));

			assertThat(registry.getService(name)).containsExactly(service);
		}
	}

	@Test
	void whenTheSweeperFindsAnExpiredRecordThenWatchersGetADeleteWithoutAnyRead() {
		MutableClock clock = new MutableClock();
		try (MemoryRegistry registry = new MemoryRegistry(clock)) {
			String name = uniqueName("greeter");
			Events events = new Events();
			registry.watch(name, events);
			registry.register(greeter(name, "latest", node(name, 1, Map.of())), Duration.ofSeconds(30));

			clock.advance(Duration.ofSeconds(31));

			events.await(RegistryEvent.Type.DELETE, name, node(name, 1, Map.of()).id());
		}
	}

	@Test
	void whenRegistrationIsInvalidThenItIsRejected() {
		String name = uniqueName("greeter");

		assertThatThrownBy(() -> this.registry.register(greeter(name, "latest"), registrationTtl()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("no nodes");
		assertThatThrownBy(
				() -> this.registry.register(greeter(name, "latest", node(name, 1, Map.of())), Duration.ofSeconds(-1)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("ttl: PT-1S (expected: >= 0)");
	}

	@Test
	void whenTheRegistryIsClosedThenItsOperationsFail() {
		Registry closed = newRegistry();
		closed.close();

		assertThatThrownBy(() -> closed.getService("greeter")).isInstanceOf(RegistryException.class)
			.hasMessageContaining("closed");
		assertThatThrownBy(() -> closed.register(greeter("greeter", "latest", node("greeter", 1, Map.of())),
				registrationTtl()))
			.isInstanceOf(RegistryException.class);
		assertThatThrownBy(() -> closed.watch(null, event -> {
		})).isInstanceOf(RegistryException.class);
	}

	@Test
	void whenTheRegistryIsNamedThenItIsMemory() {
		assertThat(this.registry.name()).isEqualTo("memory");
	}

	/** A clock the test moves forward. */
	static final class MutableClock extends Clock {

		private final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

		void advance(Duration duration) {
			this.millis.addAndGet(duration.toMillis());
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(this.millis.get());
		}

		@Override
		public long millis() {
			return this.millis.get();
		}

	}

}
