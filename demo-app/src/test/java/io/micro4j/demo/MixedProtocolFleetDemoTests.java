package io.micro4j.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micro4j.demo.greeter.GreeterClient;
import io.micro4j.demo.greeter.HelloRequest;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.test.etcd.EtcdServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two copies of the demo in one etcd under one service name, one serving over gRPC and one over mucp: the typed
 * client of either calls both kinds of node, each on its own protocol.
 */
class MixedProtocolFleetDemoTests {

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	@AfterEach
	void close() {
		this.apps.forEach(ConfigurableApplicationContext::close);
	}

	private ConfigurableApplicationContext demo(String protocol) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(GreeterApplication.class).run(
				"--server.port=0", "--micro.server.address=127.0.0.1:0", "--micro.server.protocol=" + protocol,
				"--micro.registry.type=etcd", "--micro.registry.address=" + etcd.address(),
				"--micro.selector.strategy=round-robin", "--spring.main.banner-mode=off");
		this.apps.add(context);
		return context;
	}

	@Test
	void theTypedClientCallsTheGrpcNodeAndTheMucpNodeOfOneService() {
		ConfigurableApplicationContext grpc = demo("grpc");
		ConfigurableApplicationContext mucp = demo("mucp");
		Registry registry = mucp.getBean(Registry.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.getService("greeter").stream()
			.flatMap((service) -> service.nodes().stream())
			.map(Node::metadata)
			.map((metadata) -> metadata.get("protocol"))
			.distinct()
			.count() == 2);
		GreeterClient client = mucp.getBean(GreeterClient.class);
		// warm up until both nodes have answered once (the selector probes new nodes before preferring them)
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			client.hello(new HelloRequest("warm"));
			return calls(grpc) > 0 && calls(mucp) > 0;
		});
		double grpcBefore = calls(grpc);
		double mucpBefore = calls(mucp);

		for (int i = 0; i < 20; i++) {
			assertThat(client.hello(new HelloRequest("John" + i)).msg()).isEqualTo("Hello John" + i);
		}

		assertThat(calls(grpc) - grpcBefore).isEqualTo(10);
		assertThat(calls(mucp) - mucpBefore).isEqualTo(10);
	}

	/** Calls the demo's micro server has handled. */
	private static double calls(ConfigurableApplicationContext context) {
		Timer timer = context.getBean(MeterRegistry.class).find("micro.server.calls").timer();
		return (timer != null) ? timer.count() : 0;
	}

}
