package io.micro4j.spring.boot.autoconfigure.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;

import io.micro4j.metadata.Metadata;
import io.micro4j.server.Server;
import io.micro4j.spring.annotation.MicroHandler;
import io.micro4j.spring.annotation.MicroSubscriber;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micro4j.spring.server.MicroAnnotationsPostProcessor;
import io.micro4j.spring.server.MicroServerLifecycle;
import io.micro4j.transport.TransportServer;
import io.micro4j.transport.http.ConnectionLimits;
import io.micro4j.transport.http.HttpTransportServer;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.autoproxy.BeanNameAutoProxyCreator;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class MicroServerAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TestAutoConfigurations.ALL);

	@Test
	void whenServerIsDisabledThenNoServerBeansExist() {
		this.runner.withPropertyValues("micro.server.enabled=false").run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(Server.class);
			assertThat(context).doesNotHaveBean(MicroServerLifecycle.class);
			assertThat(context).doesNotHaveBean(TransportServer.class);
		});
	}

	@Test
	void whenServiceNameIsMissingThenStartupFailsWithHint() {
		this.runner.run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("micro.server.name")
				.hasMessageContaining("spring.application.name");
		});
	}

	@Test
	void whenTransportLimitsAreNotSetThenTheTransportServerHasTheDefaults() {
		this.runner.withPropertyValues("micro.server.name=greeter", "micro.server.address=127.0.0.1:0")
			.run(context -> assertThat(context.getBean(HttpTransportServer.class).limits())
				.isEqualTo(ConnectionLimits.defaults()));
	}

	@Test
	void whenTransportLimitsAreSetThenTheTransportServerHasThem() {
		this.runner
			.withPropertyValues("micro.server.name=greeter", "micro.server.address=127.0.0.1:0",
					"micro.server.transport.read-header-timeout=2s", "micro.server.transport.read-timeout=3s",
					"micro.server.transport.idle-timeout=45s", "micro.server.transport.max-connections=500")
			.run(context -> assertThat(context.getBean(HttpTransportServer.class).limits()).isEqualTo(
					new ConnectionLimits(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(45), 500)));
	}

	@Test
	void whenATransportLimitIsOutOfRangeThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("micro.server.name=greeter", "micro.server.transport.max-connections=0")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("micro.server.transport.max-connections")
					.hasMessageContaining("expected: > 0");
			});
	}

	@Test
	void whenUserDefinesServerThenHandlersAndSubscribersAreAddedBeforeItStartsAndItStopsOnClose() {
		RecordingServer server = new RecordingServer();
		this.runner.withBean(Server.class, () -> server)
			.withUserConfiguration(Endpoints.class)
			.withPropertyValues("test.topic=greeter.events")
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(server.events).hasSize(5);
				assertThat(server.events.subList(0, 2)).containsExactly("handle Greeter", "handle Stats");
				assertThat(server.events.subList(2, 4)).containsExactlyInAnyOrder(
						"subscribe greeter.events null onEvent", "subscribe audit workers onAudit");
				assertThat(server.events.get(4)).isEqualTo("start");
				assertThat(context.getBean(MicroServerLifecycle.class).isRunning()).isTrue();
			});
		assertThat(server.events).last().isEqualTo("stop");
		assertThat(server.isRunning()).isFalse();
	}

	@Test
	void whenHandlerBeanIsACglibProxyThenItsNameIsTheUserClassName() {
		RecordingServer server = new RecordingServer();
		this.runner.withBean(Server.class, () -> server)
			.withUserConfiguration(ProxiedEndpoints.class)
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(server.handlers).singleElement()
					.satisfies(bean -> assertThat(bean.getClass().getName()).contains("$$"));
				assertThat(server.events).contains("handle Greeter");
			});
	}

	@Test
	void whenLifecyclePhaseIsComparedThenServerStopsBeforeTheWebServerGracefulShutdown() {
		assertThat(MicroServerLifecycle.PHASE)
			.isGreaterThan(org.springframework.context.SmartLifecycle.DEFAULT_PHASE - 1024)
			.isLessThan(org.springframework.context.SmartLifecycle.DEFAULT_PHASE);
	}

	@Test
	void whenHandlerThreadsIsSetThenAnExecutorIsCreatedAndShutDownOnClose() {
		RecordingServer server = new RecordingServer();
		ExecutorService[] executor = new ExecutorService[1];
		this.runner.withBean(Server.class, () -> server)
			.withPropertyValues("micro.server.handler-threads=3")
			.run(context -> {
				executor[0] = (ExecutorService) context.getBean(MicroServerAutoConfiguration.EXECUTOR_BEAN_NAME);
				assertThat(executor[0].isShutdown()).isFalse();
			});
		assertThat(executor[0].isShutdown()).isTrue();
	}

	@Test
	void whenHandlerThreadsIsNotSetThenNoExecutorBeanExists() {
		this.runner.withBean(Server.class, RecordingServer::new)
			.run(context -> assertThat(context).doesNotHaveBean(MicroServerAutoConfiguration.EXECUTOR_BEAN_NAME));
	}

	@Test
	void whenAnnotationsArePostProcessedThenTheCollectorListsThem() {
		this.runner.withBean(Server.class, RecordingServer::new)
			.withUserConfiguration(Endpoints.class)
			.withPropertyValues("test.topic=t1")
			.run(context -> {
				MicroAnnotationsPostProcessor collector = context.getBean(MicroAnnotationsPostProcessor.class);
				assertThat(collector.handlers()).extracting(MicroAnnotationsPostProcessor.HandlerRegistration::name)
					.containsExactly("Greeter", "Stats");
				assertThat(collector.subscribers()).extracting(MicroAnnotationsPostProcessor.SubscriberRegistration::topic)
					.containsExactlyInAnyOrder("t1", "audit");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Endpoints {

		@Bean
		Greeter greeterHandler() {
			return new Greeter();
		}

		@Bean
		CounterHandler counterHandler() {
			return new CounterHandler();
		}

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProxiedEndpoints {

		@Bean
		Greeter greeterHandler() {
			return new Greeter();
		}

		@Bean
		static BeanNameAutoProxyCreator proxyCreator() {
			BeanNameAutoProxyCreator creator = new BeanNameAutoProxyCreator();
			creator.setBeanNames("greeterHandler");
			creator.setProxyTargetClass(true);
			creator.setInterceptorNames();
			return creator;
		}

	}

	@MicroHandler
	static class Greeter {

		public String hello(String name) {
			return "Hello " + name;
		}

	}

	@MicroHandler("Stats")
	static class CounterHandler {

		public Long count(String key) {
			return 1L;
		}

	}

	static class Listeners {

		final List<Object> received = new java.util.concurrent.CopyOnWriteArrayList<>();

		@MicroSubscriber(topic = "${test.topic}")
		public void onEvent(Object event) {
			this.received.add(event);
		}

		@MicroSubscriber(topic = "audit", queue = "workers")
		public void onAudit(Object event, Metadata metadata) {
			this.received.add(event);
		}

	}

}
