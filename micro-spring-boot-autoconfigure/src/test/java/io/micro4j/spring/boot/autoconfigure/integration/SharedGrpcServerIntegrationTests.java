package io.micro4j.spring.boot.autoconfigure.integration;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.micro4j.client.Client;
import io.micro4j.client.Request;
import io.micro4j.grpc.Marshallers;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.spring.annotation.MicroHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code micro.server.protocol=grpc} in an application that runs Spring Boot's gRPC server (it has
 * {@code BindableService} beans), the micro handlers are served on that server: one port and one node for the
 * protobuf services and the handlers, as go-micro's gRPC server; the protobuf services keep their paths.
 */
class SharedGrpcServerIntegrationTests {

	/** A protobuf-style service on a path a micro handler would also answer: the service must win. */
	static final MethodDescriptor<String, String> GREETER_HELLO = MethodDescriptor.<String, String>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName("shop.Greeter/Hello")
		.setRequestMarshaller(Marshallers.utf8())
		.setResponseMarshaller(Marshallers.utf8())
		.build();

	static final MethodDescriptor<String, String> CATALOG_LIST = MethodDescriptor.<String, String>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName("shop.Catalog/List")
		.setRequestMarshaller(Marshallers.utf8())
		.setResponseMarshaller(Marshallers.utf8())
		.build();

	private final MicroApps apps = new MicroApps();

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	private ConfigurableApplicationContext shop(String... more) {
		String[] properties = { "spring.application.name=shop", "micro.server.protocol=grpc", "spring.grpc.server.port=0",
				"spring.grpc.server.address=127.0.0.1", "micro.server.deregister-delay=100ms" };
		String[] all = new String[properties.length + more.length];
		System.arraycopy(properties, 0, all, 0, properties.length);
		System.arraycopy(more, 0, all, properties.length, more.length);
		return this.apps.start(ShopApp.class, all);
	}

	@Test
	void handlersAndProtobufServicesShareOneServerOneNodeAndProtobufPathsWin() throws Exception {
		ConfigurableApplicationContext shop = shop();
		int port = shop.getBean(GrpcServerLifecycle.class).getPort();

		List<Service> services = this.apps.registry().getService("shop");
		assertThat(services).singleElement().satisfies((service) -> {
			assertThat(service.nodes()).singleElement()
				.satisfies((node) -> assertThat(node.address()).isEqualTo("127.0.0.1:" + port));
			assertThat(service.nodes()).extracting(Node::metadata)
				.allSatisfy((m) -> assertThat(m).containsEntry("protocol", "grpc").containsEntry("server", "grpc"));
			assertThat(service.endpoints()).extracting(Endpoint::name)
				.containsExactlyInAnyOrder("Catalog.List", "Greeter.Hello", "Orders.Place");
		});

		Client client = this.apps.start(CallerApp.class, "micro.server.enabled=false").getBean(Client.class);
		assertThat(client.call(Request.of("shop", "Orders.Place", new Order("book")), Order.class))
			.isEqualTo(new Order("placed book"));

		ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
		try {
			assertThat(ClientCalls.blockingUnaryCall(channel, CATALOG_LIST, io.grpc.CallOptions.DEFAULT, "all"))
				.isEqualTo("catalog: all");
			assertThat(ClientCalls.blockingUnaryCall(channel, GREETER_HELLO, io.grpc.CallOptions.DEFAULT, "John"))
				.as("the protobuf service, not the micro handler Greeter.Hello")
				.isEqualTo("protobuf: John");
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void closingTheApplicationDeregistersTheNodeBeforeTheServerStops() {
		ConfigurableApplicationContext shop = shop();
		assertThat(this.apps.registry().getService("shop")).isNotEmpty();

		shop.close();

		assertThat(this.apps.registry().getService("shop")).flatExtracting(Service::nodes).isEmpty();
	}

	@Test
	void withSharingOffTheHandlersKeepTheirOwnServer() {
		ConfigurableApplicationContext shop = shop("micro.server.grpc.shared=false");
		int port = shop.getBean(GrpcServerLifecycle.class).getPort();

		assertThat(this.apps.registry().getService("shop")).flatExtracting(Service::nodes)
			.singleElement()
			.satisfies((node) -> assertThat(node.address()).isNotEqualTo("127.0.0.1:" + port));
	}

	public record Order(String item) {
	}

	@MicroHandler
	static class Orders {

		public Order place(Order order) {
			return new Order("placed " + order.item());
		}

	}

	@MicroHandler
	static class Greeter {

		public Order hello(Order order) {
			return new Order("micro handler");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ Orders.class, Greeter.class })
	static class ShopApp {

		@Bean
		BindableService catalog() {
			return () -> ServerServiceDefinition.builder("shop.Catalog")
				.addMethod(CATALOG_LIST, ServerCalls.asyncUnaryCall((request, response) -> {
					response.onNext("catalog: " + request);
					response.onCompleted();
				}))
				.build();
		}

		@Bean
		BindableService greeter() {
			return () -> ServerServiceDefinition.builder("shop.Greeter")
				.addMethod(GREETER_HELLO, ServerCalls.asyncUnaryCall((request, response) -> {
					response.onNext("protobuf: " + request);
					response.onCompleted();
				}))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class CallerApp {

	}

}
