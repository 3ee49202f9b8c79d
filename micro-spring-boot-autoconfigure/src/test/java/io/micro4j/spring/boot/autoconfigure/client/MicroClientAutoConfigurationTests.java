package io.micro4j.spring.boot.autoconfigure.client;

import java.time.Duration;
import java.util.Map;

import io.micro4j.client.CallOptions;
import io.micro4j.client.Client;
import io.micro4j.client.DefaultClient;
import io.micro4j.metadata.Metadata;
import io.micro4j.spring.annotation.EnableMicroClients;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micro4j.spring.boot.autoconfigure.client.other.StatsClient;
import io.micro4j.spring.boot.autoconfigure.client.scan.GreeterClient;
import io.micro4j.spring.client.CallOptionsResolver;
import io.micro4j.spring.client.MicroPublisher;
import io.micro4j.transport.TransportClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class MicroClientAutoConfigurationTests {

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly();

	@Test
	void whenNothingIsConfiguredThenClientTransportPublisherAndResolverAreCreated() {
		this.runner.run(context -> {
			assertThat(context).getBean(Client.class).isInstanceOf(DefaultClient.class);
			assertThat(context).hasSingleBean(TransportClient.class);
			assertThat(context).hasSingleBean(MicroPublisher.class);
			assertThat(context).hasSingleBean(CallOptionsResolver.class);
			assertThat(context.getBean(Client.class).defaultCallOptions().retries()).isEqualTo(5);
		});
	}

	@Test
	void whenClientPropertiesAreSetThenTheyBecomeTheDefaultCallOptions() {
		this.runner
			.withPropertyValues("micro.client.retries=2", "micro.client.request-timeout=3s",
					"micro.client.connection-timeout=700ms", "micro.client.backoff=50ms")
			.run(context -> {
				CallOptions options = context.getBean(Client.class).defaultCallOptions();
				assertThat(options.retries()).isEqualTo(2);
				assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(options.connectionTimeout()).isEqualTo(Duration.ofMillis(700));
				assertThat(options.backoff().delay(1)).isEqualTo(Duration.ofMillis(50));
			});
	}

	@Test
	void whenServiceOverrideIsSetThenOnlyThatServiceGetsIt() {
		this.runner
			.withPropertyValues("micro.client.retries=4", "micro.client.services.greeter.request-timeout=2s",
					"micro.client.services.greeter.retries=0")
			.run(context -> {
				CallOptionsResolver resolver = context.getBean(CallOptionsResolver.class);
				CallOptions greeter = resolver.callOptions("greeter");
				assertThat(greeter.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(greeter.retries()).isZero();
				assertThat(greeter.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
				CallOptions other = resolver.callOptions("stats");
				assertThat(other.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
				assertThat(other.retries()).isEqualTo(4);
			});
	}

	@Test
	void whenBackoffIsInvalidThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("micro.client.services.greeter.backoff=sometimes").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("micro.client.services.greeter.backoff");
		});
	}

	@Test
	void whenUserDefinesClientBeanThenItIsUsedByPublisherAndProxies() {
		RecordingClient mine = new RecordingClient((request, type) -> null);
		this.runner.withBean(Client.class, () -> mine).run(context -> {
			assertThat(context).hasSingleBean(Client.class);
			context.getBean(MicroPublisher.class).publish("greeter.events", Map.of("id", "1"));
			assertThat(mine.publications).singleElement().satisfies(publication -> {
				assertThat(publication.topic()).isEqualTo("greeter.events");
				assertThat(publication.metadata().isEmpty()).isTrue();
			});
		});
	}

	@Test
	void whenMicroClientInterfaceIsInAnAutoConfigurationPackageThenProxyBeanIsCreated() {
		this.runner.withUserConfiguration(ScanGreeterPackage.class).run(context -> {
			assertThat(context).hasSingleBean(GreeterClient.class);
			assertThat(context).doesNotHaveBean(StatsClient.class);
			assertThat(context.getBean(GreeterClient.class)).hasToString(
					"MicroClient proxy for " + GreeterClient.class.getName() + " (service greeter)");
		});
	}

	@Test
	void whenEnableMicroClientsNamesPackagesThenOnlyThoseAreScanned() {
		this.runner.withUserConfiguration(ScanGreeterPackage.class, ExplicitStatsScan.class).run(context -> {
			assertThat(context).hasSingleBean(StatsClient.class);
			assertThat(context).doesNotHaveBean(GreeterClient.class);
		});
	}

	@Test
	void whenProxyMethodIsCalledThenClientCallGetsServiceEndpointBodyAndResolvedOptions() {
		RecordingClient client = new RecordingClient((request, type) -> new GreeterClient.Reply("Hello John"));
		this.runner.withBean(Client.class, () -> client)
			.withUserConfiguration(ScanGreeterPackage.class)
			.withPropertyValues("micro.client.services.greeter.retries=1")
			.run(context -> {
				GreeterClient greeter = context.getBean(GreeterClient.class);
				GreeterClient.Reply reply = greeter.hello(new GreeterClient.Ask("John"));
				assertThat(reply.msg()).isEqualTo("Hello John");
				RecordingClient.Call call = client.calls.get(0);
				assertThat(call.request().service()).isEqualTo("greeter");
				assertThat(call.request().endpoint()).isEqualTo("Greeter.Hello");
				assertThat(call.request().body()).isEqualTo(new GreeterClient.Ask("John"));
				assertThat(call.responseType()).isEqualTo(GreeterClient.Reply.class);
				assertThat(call.options().retries()).isEqualTo(1);
				assertThat(call.async()).isFalse();
			});
	}

	@Test
	void whenProxyMethodDeclaresMetadataThenItIsSentAsRequestMetadata() {
		RecordingClient client = new RecordingClient((request, type) -> new GreeterClient.Reply("ok"));
		this.runner.withBean(Client.class, () -> client)
			.withUserConfiguration(ScanGreeterPackage.class)
			.run(context -> {
				context.getBean(GreeterClient.class)
					.hello(new GreeterClient.Ask("John"), Metadata.of("x-tenant", "acme"));
				Metadata sent = client.calls.get(0).request().metadata();
				assertThat(sent.get("X-Tenant")).contains("acme");
				assertThat(client.calls.get(0).request().body()).isEqualTo(new GreeterClient.Ask("John"));
			});
	}

	@Test
	void whenProxyMethodReturnsCompletableFutureThenCallAsyncIsUsedWithTheFuturesType() {
		RecordingClient client = new RecordingClient((request, type) -> new GreeterClient.Reply("later"));
		this.runner.withBean(Client.class, () -> client)
			.withUserConfiguration(ScanGreeterPackage.class)
			.run(context -> {
				GreeterClient.Reply reply = context.getBean(GreeterClient.class)
					.helloLater(new GreeterClient.Ask("John"))
					.get();
				assertThat(reply.msg()).isEqualTo("later");
				RecordingClient.Call call = client.calls.get(0);
				assertThat(call.async()).isTrue();
				assertThat(call.request().endpoint()).isEqualTo("Greeter.Hello");
				assertThat(call.responseType()).isEqualTo(GreeterClient.Reply.class);
			});
	}

	@Test
	void whenAsyncMethodIsNamedWithAsyncSuffixThenItCallsTheEndpointOfItsSynchronousName() {
		RecordingClient client = new RecordingClient((request, type) -> new GreeterClient.Reply("Hello John"));
		this.runner.withBean(Client.class, () -> client)
			.withUserConfiguration(ScanGreeterPackage.class)
			.run(context -> {
				GreeterClient greeter = context.getBean(GreeterClient.class);
				assertThat(greeter.helloAsync(new GreeterClient.Ask("John")).get().msg()).isEqualTo("Hello John");
				assertThat(client.calls.get(0).async()).isTrue();
				assertThat(client.calls.get(0).request().endpoint()).isEqualTo("Greeter.Hello");
				// only an asynchronous method drops the suffix: a synchronous one keeps its name
				greeter.echoAsync(new GreeterClient.Ask("John"));
				assertThat(client.calls.get(1).async()).isFalse();
				assertThat(client.calls.get(1).request().endpoint()).isEqualTo("Greeter.EchoAsync");
			});
	}

	@Test
	void whenProxyMethodHasNoParametersThenAnEmptyObjectIsSentToTheNamedEndpoint() {
		RecordingClient client = new RecordingClient((request, type) -> Map.of());
		this.runner.withBean(Client.class, () -> client)
			.withUserConfiguration(ScanGreeterPackage.class)
			.run(context -> {
				context.getBean(GreeterClient.class).ping();
				RecordingClient.Call call = client.calls.get(0);
				assertThat(call.request().endpoint()).isEqualTo("Health.Check");
				assertThat(call.request().body()).isEqualTo(Map.of());
			});
	}

	@Test
	void whenDefaultMethodIsCalledThenItRunsAgainstTheProxy() {
		RecordingClient client = new RecordingClient((request, type) -> new GreeterClient.Reply("Hello Jane"));
		this.runner.withBean(Client.class, () -> client)
			.withUserConfiguration(ScanGreeterPackage.class)
			.run(context -> {
				assertThat(context.getBean(GreeterClient.class).greet("Jane")).isEqualTo("Hello Jane");
				assertThat(client.calls).hasSize(1);
			});
	}

	@Test
	void whenHandlerIsNamedOnTheAnnotationThenItPrefixesTheEndpoint() {
		RecordingClient client = new RecordingClient((request, type) -> 3L);
		this.runner.withBean(Client.class, () -> client)
			.withUserConfiguration(ExplicitStatsScan.class)
			.run(context -> {
				assertThat(context.getBean(StatsClient.class).count("calls")).isEqualTo(3L);
				assertThat(client.calls.get(0).request().service()).isEqualTo("stats");
				assertThat(client.calls.get(0).request().endpoint()).isEqualTo("Counter.Count");
				assertThat(client.calls.get(0).request().body()).isEqualTo("calls");
			});
	}

	@Test
	void whenServiceNameIsAPlaceholderThenItIsResolved() {
		RecordingClient client = new RecordingClient((request, type) -> new GreeterClient.Reply("hi"));
		this.runner.withBean(Client.class, () -> client)
			.withUserConfiguration(ScanGreeterPackage.class)
			.withPropertyValues("test.greeter.service=greeter-v2")
			.run(context -> {
				context.getBean(GreeterClient.class).hello(new GreeterClient.Ask("x"));
				assertThat(client.calls.get(0).request().service()).isEqualTo("greeter-v2");
			});
	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage(basePackageClasses = GreeterClient.class)
	static class ScanGreeterPackage {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableMicroClients(basePackageClasses = StatsClient.class)
	static class ExplicitStatsScan {

	}

}
