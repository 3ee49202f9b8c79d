package io.micro4j.spring.boot.autoconfigure.broker;

import java.util.List;

import io.micro4j.broker.Broker;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.http.HttpBroker;
import io.micro4j.broker.memory.MemoryBroker;
import io.micro4j.broker.nats.NatsBroker;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micro4j.test.nats.NatsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class MicroBrokerAutoConfigurationTests {

	@RegisterExtension
	static final NatsServer nats = new NatsServer();

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly();

	@Test
	void whenNothingIsConfiguredThenMemoryBrokerIsUsed() {
		this.runner.run(context -> assertThat(context).getBean(Broker.class).isInstanceOf(MemoryBroker.class));
	}

	@Test
	void whenUserDefinesBrokerBeanThenItIsUsed() {
		MemoryBroker mine = new MemoryBroker();
		this.runner.withBean("myBroker", Broker.class, () -> mine).run(context -> {
			assertThat(context).hasSingleBean(Broker.class);
			assertThat(context.getBean(Broker.class)).isSameAs(mine);
		});
	}

	@Test
	void whenBrokerTypeIsHttpThenHttpBrokerRegistersSubscribersInTheContextsRegistry() {
		this.runner
			.withPropertyValues("micro.broker.type=http", "micro.broker.http.address=127.0.0.1:0",
					"micro.broker.http.advertise=10.9.8.7:6543")
			.run(context -> {
				assertThat(context).hasSingleBean(Broker.class);
				HttpBroker broker = context.getBean(HttpBroker.class);
				assertThat(broker.name()).isEqualTo("http");

				broker.subscribe("greeter.events", event -> {
				}, SubscribeOptions.defaults());

				List<Service> services = context.getBean(Registry.class).getService(HttpBroker.SERVICE);
				assertThat(services).hasSize(1);
				assertThat(services.get(0).nodes().get(0).address()).isEqualTo("10.9.8.7:6543");
			});
	}

	@Test
	void whenHttpBrokerPropertyIsOutOfRangeThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("micro.broker.type=http", "micro.broker.http.outbox-size=0").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("micro.broker.http.outbox-size")
				.hasMessageContaining("outboxSize: 0 (expected: > 0)");
		});
	}

	@Test
	void whenHttpBrokerListenerLimitIsOutOfRangeThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("micro.broker.type=http", "micro.broker.http.listener.read-timeout=-1s")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("micro.broker.http.listener.read-timeout")
					.hasMessageContaining("expected: >= 0");
			});
	}

	@Test
	void whenHttpBrokerRetryBackoffExceedsItsMaximumThenStartupFailsNamingTheProperty() {
		this.runner
			.withPropertyValues("micro.broker.type=http", "micro.broker.http.retry-backoff=10s",
					"micro.broker.http.max-retry-backoff=1s")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("micro.broker.http.max-retry-backoff"));
	}

	@Test
	void whenBrokerTypeIsNatsThenNatsBrokerConnectsToTheAddress() {
		this.runner
			.withPropertyValues("micro.broker.type=nats", "micro.broker.address=" + nats.url(),
					"micro.broker.nats.connection-timeout=1s", "spring.application.name=greeter")
			.run(context -> {
				assertThat(context).hasSingleBean(Broker.class);
				NatsBroker broker = context.getBean(NatsBroker.class);
				assertThat(broker.address()).isEqualTo(nats.url());
				assertThat(broker.isConnected()).isTrue();
			});
	}

	@Test
	void whenNatsIsUnreachableThenStartupFailsNamingTheAddress() {
		int port = nats.port();
		this.runner
			.withPropertyValues("micro.broker.type=nats", "micro.broker.address=nats://127.0.0.1:1",
					"micro.broker.nats.connection-timeout=500ms")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure().rootCause().hasMessageContaining("nats://127.0.0.1:1");
				assertThat(port).isPositive();
			});
	}

	@Test
	void whenBrokerTypeIsNatsWithoutItsModuleThenStartupFailsWithHint() {
		this.runner.withClassLoader(new FilteredClassLoader(NatsBroker.class))
			.withPropertyValues("micro.broker.type=nats")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("micro.broker.type")
					.hasMessageContaining("add the dependency io.micro4j:micro-broker-nats");
			});
	}

	@Test
	void whenBrokerTypeIsNotAKnownNameThenStartupFailsListingTheSupportedTypes() {
		this.runner.withPropertyValues("micro.broker.type=kafka").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().rootCause().hasMessageContaining("expected: memory, http, nats, rabbitmq");
		});
	}

}
