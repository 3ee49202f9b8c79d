package io.micro4j.spring.boot.autoconfigure.integration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.StringValue;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.micro4j.client.Client;
import io.micro4j.client.Request;
import io.micro4j.grpc.Marshallers;
import io.micro4j.grpc.MicroDiscovery;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.spring.annotation.MicroHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * A Spring gRPC channel configured with {@code spring.grpc.client.channel.greeter.target=micro:///greeter} reaches
 * the gRPC nodes of {@code greeter} in the micro registry, spread by the selector's strategy.
 */
class MicroGrpcChannelIntegrationTests {

	private static final MethodDescriptor<String, String> HELLO = MethodDescriptor.<String, String>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName("greeter.Greeter/Hello")
		.setRequestMarshaller(Marshallers.utf8())
		.setResponseMarshaller(Marshallers.utf8())
		.build();

	private final MicroApps apps = new MicroApps();

	private final List<Server> servers = new ArrayList<>();

	@AfterEach
	void closeAll() throws InterruptedException {
		this.apps.close();
		for (Server server : this.servers) {
			server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void whenAChannelTargetsMicroThenCallsReachEveryGrpcNodeOfTheServiceRoundRobin() throws IOException {
		startNode("one");
		startNode("two");
		ConfigurableApplicationContext client = this.apps.start(ClientApp.class, "micro.server.enabled=false",
				"micro.selector.strategy=round-robin", "spring.grpc.client.channel.greeter.target=micro:///greeter");
		ManagedChannel channel = client.getBean(GrpcChannelFactory.class).createChannel("greeter");

		// both connections ready and both nodes probed
		Set<String> seen = new HashSet<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> seen.add(hello(channel)) && seen.size() == 2);
		Map<String, Integer> answers = new TreeMap<>();
		for (int i = 0; i < 40; i++) {
			answers.merge(hello(channel), 1, Integer::sum);
		}

		assertThat(answers).isEqualTo(Map.of("one", 20, "two", 20));
		assertThat(MicroDiscovery.installed()).isSameAs(client.getBean(MicroDiscovery.class));
	}

	private static String hello(ManagedChannel channel) {
		return ClientCalls.blockingUnaryCall(channel, HELLO, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
				"hi");
	}

	@Test
	void whenAMicroServerSpeaksGrpcThenASpringGrpcChannelOnMicroReachesItsHandler() {
		ConfigurableApplicationContext server = this.apps.start(EchoApp.class, "spring.application.name=echo",
				"micro.server.protocol=grpc");
		ConfigurableApplicationContext client = this.apps.start(ClientApp.class, "micro.server.enabled=false",
				"spring.grpc.client.channel.echo.target=micro:///echo");
		ManagedChannel channel = client.getBean(GrpcChannelFactory.class).createChannel("echo");

		Node node = this.apps.registry().getService("echo").get(0).nodes().get(0);
		assertThat(node.metadata()).containsEntry("protocol", "grpc").containsEntry("server", "grpc");
		assertThat(server.getBean(io.micro4j.transport.TransportServer.class))
			.isInstanceOf(io.micro4j.grpc.GrpcTransportServer.class);
		StringValue answer = ClientCalls.blockingUnaryCall(channel, ECHO,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of("hi"));
		assertThat(answer.getValue()).isEqualTo("echo hi");
	}

	@Test
	void whenOneServiceRunsOnAGrpcNodeAndAMucpNodeThenTheMicroClientCallsBoth() {
		this.apps.start(GreetApp.class, "spring.application.name=greet", "greet.node=grpc", "micro.server.protocol=grpc");
		this.apps.start(GreetApp.class, "spring.application.name=greet", "greet.node=mucp");
		Client client = this.apps.start(ClientApp.class, "micro.server.enabled=false", "micro.selector.strategy=round-robin")
			.getBean(Client.class);

		Set<String> answers = new HashSet<>();
		for (int i = 0; i < 10; i++) {
			answers.add(client.call(Request.of("greet", "Greet.Hello", new Greeting("Ann")), Greeting.class).name());
		}

		assertThat(answers).containsExactlyInAnyOrder("grpc: Ann", "mucp: Ann");
	}

	@Test
	void whenTheProtocolIsUnknownThenStartupFailsNamingTheProperty() {
		assertThatException().isThrownBy(() -> this.apps.start(EchoApp.class, "spring.application.name=echo",
				"micro.server.protocol=carrier-pigeon"))
			.withStackTraceContaining("micro.server.protocol")
			.withStackTraceContaining("expected: mucp or grpc");
	}

	private void startNode(String name) throws IOException {
		ServerServiceDefinition service = ServerServiceDefinition.builder("greeter.Greeter")
			.addMethod(HELLO, ServerCalls.asyncUnaryCall((request, response) -> {
				response.onNext(name);
				response.onCompleted();
			}))
			.build();
		Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.addService(service)
			.build()
			.start();
		this.servers.add(server);
		this.apps.registry()
			.register(Service.of("greeter", "latest", List.of(new Node("greeter-" + name, "127.0.0.1:" + server.getPort(),
					Map.of("protocol", "grpc", "server", "grpc", "transport", "grpc")))), Duration.ZERO);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ClientApp {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class EchoApp {

		@Bean
		Echo echo() {
			return new Echo();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class GreetApp {

		@Bean
		Greet greet(org.springframework.core.env.Environment environment) {
			return new Greet(environment.getRequiredProperty("greet.node"));
		}

	}

	public record Greeting(String name) {
	}

	@MicroHandler
	static class Greet {

		private final String node;

		Greet(String node) {
			this.node = node;
		}

		public Greeting hello(Greeting greeting) {
			return new Greeting(this.node + ": " + greeting.name());
		}

	}

	/** A micro handler on protobuf types, so any gRPC client (plain application/grpc) can call it. */
	@MicroHandler
	static class Echo {

		public StringValue echo(StringValue value) {
			return StringValue.of("echo " + value.getValue());
		}

	}

	static final MethodDescriptor<StringValue, StringValue> ECHO = MethodDescriptor.<StringValue, StringValue>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName("echo.Echo/Echo")
		.setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
		.setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
		.build();

}
