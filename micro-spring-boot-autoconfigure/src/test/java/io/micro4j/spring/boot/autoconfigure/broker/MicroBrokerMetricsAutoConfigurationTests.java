package io.micro4j.spring.boot.autoconfigure.broker;

import java.time.Duration;

import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerHandler;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.Subscription;
import io.micro4j.metadata.Metadata;
import io.micro4j.spring.actuate.BrokerMetrics;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MicroBrokerMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly()
		.withConfiguration(AutoConfigurations.of(MicroBrokerMetricsAutoConfiguration.class,
				MetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class);

	@Test
	void whenMicrometerIsPresentThenTheMemoryBrokersCounterIsAMeterTaggedWithTheBrokerName() {
		this.runner.run(context -> {
			assertThat(context).hasSingleBean(BrokerMetrics.class);
			FunctionCounter failed = context.getBean(MeterRegistry.class)
				.get("micro.broker.deliveries.failed")
				.tag("broker", "memory")
				.functionCounter();
			assertThat(failed.count()).isZero();
			assertThat(failed.getId().getBaseUnit()).isEqualTo("messages");
			assertThat(failed.getId().getDescription()).isEqualTo("Received messages whose handler threw");
			assertThat(context.getBean(MeterRegistry.class).find("micro.broker.deliveries.retried").meters())
				.as("the memory broker does not retry")
				.isEmpty();
		});
	}

	@Test
	void whenAHandlerThrowsThenTheFailedDeliveriesMeterMoves() {
		this.runner.run(context -> {
			Broker broker = context.getBean(Broker.class);
			BrokerHandler failing = (event) -> {
				throw new IllegalStateException("handler failed on purpose");
			};
			try (Subscription subscription = broker.subscribe("failing", failing, SubscribeOptions.defaults())) {
				broker.publish("failing", new Message(Metadata.of("Micro-Id", "1"), new byte[0]));

				FunctionCounter failed = context.getBean(MeterRegistry.class)
					.get("micro.broker.deliveries.failed")
					.functionCounter();
				await().atMost(Duration.ofSeconds(5)).until(() -> failed.count() == 1);
			}
		});
	}

	@Test
	void whenBrokerMetricsAreDisabledThenThereAreNoBrokerMeters() {
		this.runner.withPropertyValues("micro.broker.metrics.enabled=false").run(context -> {
			assertThat(context).doesNotHaveBean(BrokerMetrics.class);
			assertThat(context.getBean(MeterRegistry.class).find("micro.broker.deliveries.failed").meters()).isEmpty();
		});
	}

	@Test
	void whenMicrometerCoreIsMissingThenThereIsNoBrokerMetricsBean() {
		TestAutoConfigurations.clientOnly()
			.withConfiguration(AutoConfigurations.of(MicroBrokerMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(Broker.class);
				assertThat(context).doesNotHaveBean("microBrokerMetrics");
			});
	}

	@Test
	void whenUserDefinesBrokerMetricsThenItIsUsed() {
		this.runner.withBean("myBrokerMetrics", BrokerMetrics.class, () -> new BrokerMetrics(new NamedBroker()))
			.run(context -> {
				assertThat(context).hasSingleBean(BrokerMetrics.class);
				assertThat(context).hasBean("myBrokerMetrics");
			});
	}

	@Test
	void whenTheBrokerHasNoCountersThenItHasNoMeters() {
		this.runner.withBean("myBroker", Broker.class, NamedBroker::new).run(context -> {
			assertThat(context).hasSingleBean(BrokerMetrics.class);
			assertThat(context.getBean(MeterRegistry.class).find("micro.broker.deliveries.failed").meters()).isEmpty();
		});
	}

	/** A broker that counts nothing. */
	private static final class NamedBroker implements Broker {

		@Override
		public String name() {
			return "counts-nothing";
		}

		@Override
		public void publish(String topic, Message message) {
		}

		@Override
		public Subscription subscribe(String topic, BrokerHandler handler, SubscribeOptions options) {
			throw new UnsupportedOperationException("subscribe");
		}

		@Override
		public void close() {
		}

	}

}
