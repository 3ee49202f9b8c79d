package io.micro4j.spring.boot.autoconfigure.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micro4j.broker.Broker;
import io.micro4j.broker.Message;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Metadata;
import io.micro4j.server.DefaultServer;
import io.micro4j.server.HandlerWrapper;
import io.micro4j.server.Server;
import io.micro4j.server.SubscriberWrapper;
import io.micro4j.spring.annotation.MicroHandler;
import io.micro4j.spring.annotation.MicroSubscriber;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server pipeline as the auto-configuration wires it: wrapper beans in order, bounded work from properties,
 * checked over real sockets.
 */
class MicroServerPipelineTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TestAutoConfigurations.ALL)
		.withPropertyValues("micro.server.name=greeter", "micro.server.address=127.0.0.1:0");

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void whenHandlerWrapperBeansHaveAnOrderThenTheLowestIsOutermost() {
		this.runner.withUserConfiguration(Handlers.class, Wrappers.class).run(context -> {
			Wrappers.Calls calls = context.getBean(Wrappers.Calls.class);
			HttpResponse<String> response = send(context.getBean(Server.class), "Greeter.Hello", "X-Tenant", "t1")
				.get(5, TimeUnit.SECONDS);
			assertThat(response.headers().firstValue("Micro-Error")).isEmpty();
			assertThat(calls.order).containsExactly("tenant>t1", "audit>", "<audit", "<tenant");
		});
	}

	@Test
	void whenSubscriberWrapperBeansHaveAnOrderThenTheLowestIsOutermost() {
		this.runner.withUserConfiguration(Handlers.class, Wrappers.class).run(context -> {
			Wrappers.Calls calls = context.getBean(Wrappers.Calls.class);
			context.getBean(Broker.class)
				.publish("events", new Message(Metadata.of("Content-Type", "application/json"),
						"\"e1\"".getBytes(StandardCharsets.UTF_8)));
			await().atMost(Duration.ofSeconds(5)).until(() -> calls.order.contains("<outer"));
			assertThat(calls.order).containsExactly("outer>events", "inner>", "event:e1", "<inner", "<outer");
		});
	}

	@Test
	void whenAnEndpointLimitIsSetThenTheCallOverItGetsA503AtOnceAndOtherCallsAreServed() {
		this.runner.withUserConfiguration(Handlers.class)
			.withPropertyValues("micro.server.endpoints[Greeter.Hold].max-concurrent-calls=1")
			.run(context -> {
				Server server = context.getBean(Server.class);
				Greeter greeter = context.getBean(Greeter.class);
				CompletableFuture<HttpResponse<String>> held = send(server, "Greeter.Hold");
				await().atMost(Duration.ofSeconds(5)).until(() -> ((DefaultServer) server).inFlight() == 1);

				MicroException busy = error(send(server, "Greeter.Hold").get(5, TimeUnit.SECONDS));
				assertThat(busy).isNotNull();
				assertThat(busy.code()).isEqualTo(503);
				assertThat(busy.id()).isEqualTo("go.micro.server");
				assertThat(error(send(server, "Greeter.Hello").get(5, TimeUnit.SECONDS))).isNull();
				greeter.release.countDown();
				assertThat(error(held.get(5, TimeUnit.SECONDS))).isNull();
			});
	}

	@Test
	void whenTheServerLimitIsSetThenTheCallOverItGetsA503() {
		this.runner.withUserConfiguration(Handlers.class)
			.withPropertyValues("micro.server.max-concurrent-calls=1")
			.run(context -> {
				Server server = context.getBean(Server.class);
				CompletableFuture<HttpResponse<String>> held = send(server, "Greeter.Hold");
				await().atMost(Duration.ofSeconds(5)).until(() -> ((DefaultServer) server).inFlight() == 1);

				MicroException busy = error(send(server, "Greeter.Hello").get(5, TimeUnit.SECONDS));
				assertThat(busy).isNotNull();
				assertThat(busy.detail()).isEqualTo("server busy: 1 calls in flight (limit 1)");
				context.getBean(Greeter.class).release.countDown();
				assertThat(error(held.get(5, TimeUnit.SECONDS))).isNull();
			});
	}

	@Test
	void whenHandlerThreadsIsSetThenTheExecutorQueueIsBoundedByMaxQueuedCalls() {
		this.runner.withPropertyValues("micro.server.handler-threads=2", "micro.server.max-queued-calls=5")
			.run(context -> {
				ExecutorService executor = (ExecutorService) context
					.getBean(MicroServerAutoConfiguration.EXECUTOR_BEAN_NAME);
				assertThat(executor).isInstanceOf(ThreadPoolExecutor.class);
				ThreadPoolExecutor pool = (ThreadPoolExecutor) executor;
				assertThat(pool.getMaximumPoolSize()).isEqualTo(2);
				assertThat(pool.getQueue().remainingCapacity()).isEqualTo(5);
			});
	}

	@Test
	void whenALimitIsNotPositiveThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("micro.server.max-concurrent-calls=0")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("micro.server.max-concurrent-calls"));
	}

	@Test
	void whenEndpointPropertiesUseBracketsThenTheNameKeepsItsDotAndCase() {
		MicroServerProperties properties = new Binder(new MapConfigurationPropertySource(
				Map.of("micro.server.endpoints[Greeter.Hello].max-concurrent-calls", "10")))
			.bind("micro.server", MicroServerProperties.class)
			.get();
		assertThat(properties.getEndpoints()).containsOnlyKeys("Greeter.Hello");
		assertThat(properties.getEndpoints().get("Greeter.Hello").getMaxConcurrentCalls()).isEqualTo(10);
		MicroServerProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of("micro.server.name", "x")))
			.bind("micro.server", MicroServerProperties.class)
			.get();
		assertThat(defaults.getMaxConcurrentCalls()).isEqualTo(DefaultServer.DEFAULT_MAX_CONCURRENT_CALLS);
		assertThat(defaults.getMaxQueuedCalls()).isEqualTo(DefaultServer.DEFAULT_MAX_QUEUED_CALLS);
		assertThat(defaults.getEndpoints()).isEmpty();
	}

	private CompletableFuture<HttpResponse<String>> send(Server server, String endpoint, String... headers) {
		int port = server.boundAddress().orElseThrow().getPort();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
			.header("Content-Type", "application/json")
			.header("Micro-Endpoint", endpoint)
			.POST(HttpRequest.BodyPublishers.ofString("\"John\""));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private static @Nullable MicroException error(HttpResponse<String> response) {
		return response.headers().firstValue("Micro-Error").map(MicroException::parse).orElse(null);
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

		@Bean
		Listener listener(ObjectProvider<Wrappers.Calls> calls) {
			return new Listener(calls);
		}

	}

	static class Listener {

		private final ObjectProvider<Wrappers.Calls> calls;

		Listener(ObjectProvider<Wrappers.Calls> calls) {
			this.calls = calls;
		}

		@MicroSubscriber(topic = "events")
		public void onEvent(String event) {
			this.calls.ifAvailable(calls -> calls.order.add("event:" + event));
		}

	}

	@MicroHandler
	static class Greeter {

		final CountDownLatch release = new CountDownLatch(1);

		public String hello(String name) {
			return "Hello " + name;
		}

		public String hold(String name) throws InterruptedException {
			this.release.await(10, TimeUnit.SECONDS);
			return "held " + name;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Wrappers {

		static final class Calls {

			final List<String> order = new CopyOnWriteArrayList<>();

		}

		@Bean
		Calls calls() {
			return new Calls();
		}

		@Bean
		@Order(2)
		HandlerWrapper auditWrapper(Calls calls) {
			return next -> request -> {
				calls.order.add("audit>");
				Object result = next.handle(request);
				calls.order.add("<audit");
				return result;
			};
		}

		@Bean
		@Order(20)
		SubscriberWrapper innerSubscriberWrapper(Calls calls) {
			return next -> message -> {
				calls.order.add("inner>");
				next.handle(message);
				calls.order.add("<inner");
			};
		}

		@Bean
		@Order(10)
		SubscriberWrapper outerSubscriberWrapper(Calls calls) {
			return next -> message -> {
				calls.order.add("outer>" + message.topic());
				next.handle(message);
				calls.order.add("<outer");
			};
		}

		@Bean
		@Order(1)
		HandlerWrapper tenantWrapper(Calls calls) {
			return next -> request -> {
				calls.order.add("tenant>" + request.metadata().get("X-Tenant").orElse("none"));
				Object result = next.handle(request);
				calls.order.add("<tenant");
				return result;
			};
		}

	}

}
