package io.micro4j.spring.boot.autoconfigure.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micro4j.broker.Broker;
import io.micro4j.broker.rabbitmq.RabbitBroker;
import io.micro4j.metadata.Metadata;
import io.micro4j.spring.annotation.MicroSubscriber;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micro4j.spring.client.MicroPublisher;
import io.micro4j.test.rabbitmq.RabbitMqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RabbitBrokerConfigurationTests {

	@RegisterExtension
	static final RabbitMqServer rabbit = new RabbitMqServer();

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly();

	@Test
	void whenBrokerTypeIsRabbitmqThenRabbitBrokerIsCreatedAtTheConfiguredAddress() {
		this.runner.withPropertyValues("micro.broker.type=rabbitmq", "micro.broker.address=amqp://10.1.2.3:5673")
			.run(context -> {
				assertThat(context).hasSingleBean(Broker.class);
				assertThat(context.getBean(Broker.class)).isInstanceOf(RabbitBroker.class);
				assertThat(context.getBean(Broker.class).address()).isEqualTo("amqp://10.1.2.3:5673");
			});
	}

	@Test
	void whenNoAddressIsSetThenGoMicrosDefaultAddressIsUsed() {
		this.runner.withPropertyValues("micro.broker.type=rabbitmq")
			.run(context -> assertThat(context.getBean(Broker.class).address()).isEqualTo("amqp://127.0.0.1:5672"));
	}

	@Test
	void whenRabbitPropertiesAreSetThenTheyBind() {
		this.runner
			.withPropertyValues("micro.broker.type=rabbitmq", "micro.broker.rabbitmq.ack-on-success=true",
					"micro.broker.rabbitmq.durable-queue=true", "micro.broker.rabbitmq.max-redeliveries=2",
					"micro.broker.rabbitmq.dead-letter=micro.dlx", "micro.broker.rabbitmq.prefetch=10",
					"micro.broker.rabbitmq.confirm-timeout=2s", "micro.broker.rabbitmq.virtual-host=/test")
			.run(context -> {
				RabbitBrokerProperties properties = context.getBean(RabbitBrokerProperties.class);
				assertThat(properties.isAckOnSuccess()).isTrue();
				assertThat(properties.isDurableQueue()).isTrue();
				assertThat(properties.getMaxRedeliveries()).isEqualTo(2);
				assertThat(properties.getDeadLetter()).isEqualTo("micro.dlx");
				assertThat(properties.getPrefetch()).isEqualTo(10);
				assertThat(properties.getConfirmTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(properties.getVirtualHost()).isEqualTo("/test");
				assertThat(properties.isRequeueOnError()).isTrue();
				assertThat(properties.isPublisherConfirms()).isTrue();
			});
	}

	@Test
	void whenAPropertyIsInvalidThenStartupFailsWithTheBuildersMessage() {
		this.runner.withPropertyValues("micro.broker.type=rabbitmq", "micro.broker.rabbitmq.prefetch=0")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure().rootCause().hasMessageContaining("prefetch: 0 (expected: > 0");
			});
	}

	@Test
	void whenBrokerTypeIsRabbitmqWithoutItsModuleThenStartupFailsWithHint() {
		this.runner.withClassLoader(new FilteredClassLoader(RabbitBroker.class))
			.withPropertyValues("micro.broker.type=rabbitmq")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("add the dependency io.micro4j:micro-broker-rabbitmq");
			});
	}

	@Test
	void whenACustomizerBeanExistsThenItAdjustsTheBuilder() {
		this.runner.withPropertyValues("micro.broker.type=rabbitmq", "micro.broker.address=amqp://10.1.2.3")
			.withBean(RabbitBrokerCustomizer.class, () -> builder -> builder.exchange("customized"))
			.run(context -> assertThat(context.getBean(Broker.class)).hasToString(
					"RabbitBroker{amqp://10.1.2.3:5672, exchange=customized}"));
	}

	@Test
	void whenTheServiceSubscribesThroughRabbitmqThenPublishedEventsArriveWithTheirHeaders() {
		new ApplicationContextRunner().withConfiguration(TestAutoConfigurations.ALL)
			.withUserConfiguration(Listener.class)
			.withPropertyValues("spring.application.name=listener", "micro.server.address=127.0.0.1:0",
					"micro.broker.type=rabbitmq", "micro.broker.address=" + rabbit.amqpUri(),
					"micro.broker.rabbitmq.ack-on-success=true", "micro.broker.rabbitmq.exchange=spring-test")
			.run(context -> {
				assertThat(context).hasNotFailed();
				Listener listener = context.getBean(Listener.class);

				context.getBean(MicroPublisher.class)
					.publish("spring.events", new Event("1", "hello"), Metadata.of("X-Tenant", "acme"));

				await().atMost(Duration.ofSeconds(30)).until(() -> listener.events.size() == 1);
				assertThat(listener.events.get(0)).isEqualTo(new Event("1", "hello"));
				assertThat(listener.headers.get(0).get("X-Tenant")).contains("acme");
				assertThat(listener.headers.get(0).get("Micro-Topic")).contains("spring.events");
				assertThat(listener.headers.get(0).get("Content-Type")).contains("application/json");
				assertThat(rabbit.ctl("list_exchanges", "name", "type")).contains("spring-test\ttopic");
			});
	}

	record Event(String id, String message) {
	}

	static class Listener {

		final List<Event> events = new CopyOnWriteArrayList<>();

		final List<Metadata> headers = new CopyOnWriteArrayList<>();

		@MicroSubscriber(topic = "spring.events", queue = "spring-listeners")
		public void onEvent(Event event, Metadata metadata) {
			this.events.add(event);
			this.headers.add(metadata);
		}

	}

}
