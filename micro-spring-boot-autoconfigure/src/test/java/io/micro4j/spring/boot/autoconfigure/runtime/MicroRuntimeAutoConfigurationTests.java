package io.micro4j.spring.boot.autoconfigure.runtime;

import java.util.concurrent.atomic.AtomicReference;

import io.micro4j.client.Client;
import io.micro4j.client.Request;
import io.micro4j.runtime.MicroRuntime;
import io.micro4j.spring.annotation.MicroHandler;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.netty.util.concurrent.MultithreadEventExecutorGroup;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class MicroRuntimeAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TestAutoConfigurations.ALL)
		.withPropertyValues("spring.application.name=greeter", "micro.server.address=127.0.0.1:0");

	@Test
	void whenRuntimePropertiesAreSetThenTheRuntimeUsesThem() {
		this.runner.withPropertyValues("micro.server.enabled=false", "micro.runtime.io-threads=3").run((context) -> {
			assertThat(context).hasNotFailed();
			MicroRuntime runtime = context.getBean(MicroRuntime.class);
			assertThat(((MultithreadEventExecutorGroup) runtime.eventLoopGroup()).executorCount()).isEqualTo(3);
		});
	}

	@Test
	void whenARuntimePropertyIsInvalidThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("micro.server.enabled=false", "micro.runtime.handler-queue-size=0")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("micro.runtime.handler-queue-size");
			});
	}

	@Test
	void whenAClientCallsAHandlerThenBothRunOnTheRuntimesThreadsAndTheRuntimeClosesWithTheContext() {
		AtomicReference<MicroRuntime> runtime = new AtomicReference<>();
		this.runner.withUserConfiguration(Handlers.class).run((context) -> {
			assertThat(context).hasNotFailed();
			runtime.set(context.getBean(MicroRuntime.class));
			String thread = context.getBean(Client.class)
				.call(Request.of("greeter", "Greeter.Thread", new Ask("x")), String.class);
			assertThat(thread).startsWith("micro4j-handler-");
			String async = context.getBean(Client.class)
				.callAsync(Request.of("greeter", "Greeter.Thread", new Ask("y")), String.class)
				.thenApply((reply) -> Thread.currentThread().getName())
				.get();
			assertThat(async).startsWith("micro4j-callback-");
		});
		assertThat(runtime.get().isClosed()).isTrue();
	}

	@Test
	void whenServerHandlerThreadsAreSetThenHandlersRunOnTheServersOwnPool() {
		this.runner.withUserConfiguration(Handlers.class)
			.withPropertyValues("micro.server.handler-threads=2")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Client.class)
					.call(Request.of("greeter", "Greeter.Thread", new Ask("x")), String.class))
					.startsWith("micro-handler-");
			});
	}

	@Test
	void whenUserDefinesARuntimeThenItIsUsed() {
		MicroRuntime own = MicroRuntime.builder().threadNamePrefix("mine-").build();
		try {
			this.runner.withUserConfiguration(Handlers.class)
				.withBean(MicroRuntime.class, () -> own)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context).getBean(MicroRuntime.class).isSameAs(own);
					assertThat(context.getBean(Client.class)
						.call(Request.of("greeter", "Greeter.Thread", new Ask("x")), String.class))
						.startsWith("mine-handler-");
				});
		}
		finally {
			own.close();
		}
	}

	public record Ask(String name) {
	}

	@MicroHandler("Greeter")
	public static class Greeter {

		public String thread(Ask ask) {
			return Thread.currentThread().getName();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

	}

}
