package io.micro4j.spring.boot.autoconfigure.integration;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.micro4j.grpc.Marshallers;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.grpc.client.GrpcChannelFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring gRPC servers registered in the micro registry as go-micro gRPC nodes, and a Spring gRPC client on
 * {@code micro:///hello}: calls spread over the three nodes by the configured strategy, a node stopped gracefully
 * under load costs no call, and a fourth node takes calls within a second.
 */
class SpringGrpcServerRegistrationIntegrationTests {

	static final MethodDescriptor<String, String> SAY_HELLO = MethodDescriptor.<String, String>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName("helloworld.Greeter/SayHello")
		.setRequestMarshaller(Marshallers.utf8())
		.setResponseMarshaller(Marshallers.utf8())
		.build();

	private final MicroApps apps = new MicroApps();

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	private ConfigurableApplicationContext node(String name) {
		return this.apps.start(GreeterApp.class, "spring.application.name=hello", "greeter.node=" + name,
				"micro.server.enabled=false", "spring.grpc.server.port=0", "spring.grpc.server.address=127.0.0.1",
				"micro.server.deregister-delay=300ms");
	}

	private int nodes() {
		return this.apps.registry().getService("hello").stream().mapToInt((s) -> s.nodes().size()).sum();
	}

	private static String hello(ManagedChannel channel) {
		return ClientCalls.blockingUnaryCall(channel, SAY_HELLO,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hi");
	}

	@Test
	void threeSpringGrpcNodesTakeCallsRoundRobinLoseNoneWhenOneStopsAndANewOneIsUsedWithinASecond()
			throws Exception {
		node("a");
		ConfigurableApplicationContext b = node("b");
		node("c");
		Service service = this.apps.registry().getService("hello").get(0);
		Node registered = service.nodes().get(0);
		assertThat(registered.metadata()).containsEntry("protocol", "grpc")
			.containsEntry("server", "grpc")
			.containsEntry("transport", "grpc");
		assertThat(service.endpoints()).extracting(Endpoint::name).containsExactly("Greeter.SayHello");
		ManagedChannel channel = this.apps.start(ClientApp.class, "micro.server.enabled=false",
				"micro.selector.strategy=round-robin", "spring.grpc.client.channel.hello.target=micro:///hello")
			.getBean(GrpcChannelFactory.class)
			.createChannel("hello");
		Set<String> seen = ConcurrentHashMap.newKeySet();
		await().atMost(Duration.ofSeconds(10)).until(() -> seen.add(hello(channel)) && seen.size() == 3);
		Map<String, Integer> spread = new ConcurrentHashMap<>();
		for (int i = 0; i < 30; i++) {
			spread.merge(hello(channel), 1, Integer::sum);
		}
		assertThat(spread).isEqualTo(Map.of("a", 10, "b", 10, "c", 10));

		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger calls = new AtomicInteger();
		ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
		ExecutorService load = Executors.newFixedThreadPool(4);
		for (int t = 0; t < 4; t++) {
			load.execute(() -> {
				while (running.get()) {
					try {
						hello(channel);
					}
					catch (RuntimeException ex) {
						failures.add(ex);
					}
					calls.incrementAndGet();
				}
			});
		}
		Thread.sleep(300);
		b.close();
		assertThat(nodes()).isEqualTo(2);
		node("d");
		long registered4 = System.nanoTime();
		Set<String> afterwards = ConcurrentHashMap.newKeySet();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> afterwards.add(hello(channel))
				&& afterwards.contains("d"));
		long millisToFourth = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - registered4);
		Thread.sleep(300);
		running.set(false);
		load.shutdown();
		assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

		System.out.printf("gRPC nodes: %d calls under load, %d failed, fourth node used after %d ms%n", calls.get(),
				failures.size(), millisToFourth);
		assertThat(calls.get()).isGreaterThan(50);
		assertThat(failures).isEmpty();
		assertThat(millisToFourth).isLessThan(1000);
		assertThat(afterwards).doesNotContain("b");
	}

	@Test
	void whenTheApplicationAlsoRunsAMicroServerThenTheGrpcServerRegistersOnlyUnderANameOfItsOwn() {
		this.apps.start(GreeterApp.class, "spring.application.name=both", "greeter.node=x", "spring.grpc.server.port=0",
				"spring.grpc.server.address=127.0.0.1");
		this.apps.start(GreeterApp.class, "spring.application.name=named", "greeter.node=y", "spring.grpc.server.port=0",
				"spring.grpc.server.address=127.0.0.1", "micro.grpc.server.name=named-grpc");

		// the micro server's node only: a gRPC node there would get calls for endpoints it does not serve
		assertThat(this.apps.registry().getService("both")).flatExtracting(Service::nodes)
			.extracting((node) -> node.metadata().get("protocol"))
			.containsExactly("mucp");
		assertThat(this.apps.registry().getService("named-grpc")).flatExtracting(Service::nodes)
			.extracting((node) -> node.metadata().get("protocol"))
			.containsExactly("grpc");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class GreeterApp {

		@Bean
		BindableService greeter(Environment environment) {
			String node = environment.getRequiredProperty("greeter.node");
			return () -> ServerServiceDefinition.builder("helloworld.Greeter")
				.addMethod(SAY_HELLO, ServerCalls.asyncUnaryCall((request, response) -> {
					response.onNext(node);
					response.onCompleted();
				}))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ClientApp {

	}

}
