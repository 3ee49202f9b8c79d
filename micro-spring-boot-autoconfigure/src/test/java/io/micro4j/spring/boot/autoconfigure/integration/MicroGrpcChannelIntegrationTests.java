package io.micro4j.spring.boot.autoconfigure.integration;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.micro4j.grpc.MicroDiscovery;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Spring gRPC channel configured with {@code spring.grpc.client.channel.greeter.target=micro:///greeter} reaches
 * the gRPC nodes of {@code greeter} in the micro registry, spread by the selector's strategy.
 */
class MicroGrpcChannelIntegrationTests {

	private static final MethodDescriptor<String, String> HELLO = MethodDescriptor.<String, String>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName("greeter.Greeter/Hello")
		.setRequestMarshaller(new Utf8())
		.setResponseMarshaller(new Utf8())
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

		assertThat(answers).containsExactlyEntriesOf(Map.of("one", 20, "two", 20));
		assertThat(MicroDiscovery.installed()).isSameAs(client.getBean(MicroDiscovery.class));
	}

	private static String hello(ManagedChannel channel) {
		return ClientCalls.blockingUnaryCall(channel, HELLO, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
				"hi");
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

	static final class Utf8 implements MethodDescriptor.Marshaller<String> {

		@Override
		public InputStream stream(String value) {
			return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public String parse(InputStream stream) {
			try {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
