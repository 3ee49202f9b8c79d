package io.micro4j.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.micro4j.registry.Node;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.selector.SelectionStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Plain grpc-java channels on {@code micro:///greeter} against real gRPC servers registered in a micro registry:
 * the nodes are found, spread by the selector, followed as they come and go, and a failing node is ejected.
 */
class MicroDiscoveryIntegrationTests {

	private final MemoryRegistry registry = new MemoryRegistry();

	private final RegistryCache cache = RegistryCache.builder(this.registry).build();

	private final DefaultSelector selector = DefaultSelector.builder(this.cache)
		.strategy(SelectionStrategy.roundRobin())
		.build();

	private final MicroDiscovery discovery = MicroDiscovery.of(this.cache, this.selector);

	private final List<Server> servers = new ArrayList<>();

	private final List<ManagedChannel> channels = new ArrayList<>();

	private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

	@AfterEach
	void closeAll() throws InterruptedException {
		this.channels.forEach(ManagedChannel::shutdownNow);
		for (Server server : this.servers) {
			server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		this.selector.close();
		this.cache.close();
		this.registry.close();
	}

	@Test
	void whenThreeGrpcNodesAreRegisteredThenCallsGoRoundRobinToAllThreeAndNeverToAMucpNode() throws Exception {
		startNode("a");
		startNode("b");
		startNode("c");
		this.registry.register(Service.of("greeter", "latest", List.of(new Node("greeter-mucp", "127.0.0.1:1",
				Map.of("protocol", "mucp")))), Duration.ZERO);
		ManagedChannel channel = channel();

		Map<String, Integer> answers = new ConcurrentHashMap<>();
		for (int i = 0; i < 300; i++) {
			answers.merge(hello(channel), 1, Integer::sum);
		}

		assertThat(answers).containsOnlyKeys("a", "b", "c");
		assertThat(answers.values()).allSatisfy((count) -> assertThat(count).isBetween(90, 110));
	}

	@Test
	void whenANodeIsAddedThenItIsCalledWithinASecond() throws Exception {
		startNode("a");
		ManagedChannel channel = channel();
		assertThat(hello(channel)).isEqualTo("a");

		startNode("d");
		long registered = System.nanoTime();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> "d".equals(hello(channel)));
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - registered);

		assertThat(millis).isLessThan(1000);
	}

	@Test
	void whenANodeLeavesGracefullyUnderLoadThenNoCallFails() throws Exception {
		startNode("a");
		startNode("b");
		Server leaving = startNode("c");
		ManagedChannel channel = channel();
		hello(channel);
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger made = new AtomicInteger();
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
					made.incrementAndGet();
				}
			});
		}
		Thread.sleep(500);
		int beforeLeave = this.calls.get("c").get();
		// deregister, give clients a moment to see it, drain, stop: what micro4j's servers do on stop
		this.registry.deregister(Service.of("greeter", "latest", List.of(node("c", leaving))));
		Thread.sleep(300);
		leaving.shutdown().awaitTermination(5, TimeUnit.SECONDS);
		Thread.sleep(500);
		running.set(false);
		load.shutdown();
		assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

		assertThat(beforeLeave).isPositive();
		assertThat(made.get()).isGreaterThan(100);
		assertThat(failures).isEmpty();
	}

	@Test
	void whenANodeFailsEveryCallThenTheSelectorEjectsIt() throws Exception {
		startNode("a");
		AtomicInteger badCalls = new AtomicInteger();
		Server bad = GreeterGrpc.start((request) -> {
			throw new IllegalStateException("broken");
		}, badCalls);
		this.servers.add(bad);
		this.registry.register(Service.of("greeter", "latest", List.of(node("bad", bad))), Duration.ZERO);
		ManagedChannel channel = channel();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.selector.select("greeter").next() != null
				&& this.cache.getService("greeter").get(0).nodes().size() == 2);

		int failed = 0;
		for (int i = 0; i < 100; i++) {
			try {
				hello(channel);
			}
			catch (StatusRuntimeException ex) {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
				failed++;
			}
		}

		// five consecutive errors eject the node (for a second, longer than these 100 calls take)
		assertThat(badCalls.get()).isBetween(5, 6);
		assertThat(failed).isEqualTo(badCalls.get());
	}

	@Test
	void whenNoGrpcNodeIsRegisteredThenTheCallFailsUnavailableNamingTheService() {
		ManagedChannel channel = channel();

		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> hello(channel))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
			.withMessageContaining("no node of service greeter with protocol=grpc");
	}

	@Test
	void whenTheRegistrySaysTheLastNodeIsGoneThenCallsFailFastInsteadOfReachingIt() throws Exception {
		Server server = startNode("a");
		ManagedChannel channel = channel();
		assertThat(hello(channel)).isEqualTo("a");

		this.registry.deregister(Service.of("greeter", "latest", List.of(node("a", server))));

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> hello(channel))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
			.withMessageContaining("no node of service greeter with protocol=grpc"));
	}

	@Test
	void whenNoDiscoveryIsAvailableThenBuildingTheChannelSaysWhatIsMissing() {
		assertThat(MicroDiscovery.installed()).isNull();

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> ManagedChannelBuilder.forTarget("micro:///greeter").usePlaintext().build())
			.withMessageContaining("needs a micro registry");
	}

	@Test
	void whenATargetNamesNoSchemeThenItIsStillResolvedByDns() throws Exception {
		Server server = startNode("a");
		ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
		this.channels.add(channel);

		assertThat(NameResolverRegistry.getDefaultRegistry().asFactory().getDefaultScheme()).isEqualTo("dns");
		assertThat(hello(channel)).isEqualTo("a");
	}

	@Test
	void targetsNameTheirService() {
		assertThat(MicroNameResolverProvider.serviceName(java.net.URI.create("micro:///greeter"))).isEqualTo("greeter");
		assertThat(MicroNameResolverProvider.serviceName(java.net.URI.create("micro://greeter"))).isEqualTo("greeter");
		assertThat(MicroNameResolverProvider.serviceName(java.net.URI.create("micro:greeter"))).isEqualTo("greeter");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> MicroNameResolverProvider.serviceName(java.net.URI.create("micro:///a/b")));
	}

	private Server startNode(String name) throws Exception {
		AtomicInteger count = this.calls.computeIfAbsent(name, (n) -> new AtomicInteger());
		Server server = GreeterGrpc.start((request) -> name, count);
		this.servers.add(server);
		this.registry.register(Service.of("greeter", "latest", List.of(node(name, server))), Duration.ZERO);
		return server;
	}

	private static Node node(String name, Server server) {
		return new Node("greeter-" + name, "127.0.0.1:" + server.getPort(),
				Map.of("protocol", "grpc", "server", "grpc", "transport", "grpc"));
	}

	private ManagedChannel channel() {
		ManagedChannel channel = NettyChannelBuilder.forTarget("micro:///greeter")
			.usePlaintext()
			.setNameResolverArg(MicroDiscovery.ARG, this.discovery)
			.build();
		this.channels.add(channel);
		return channel;
	}

	private static String hello(ManagedChannel channel) {
		return ClientCalls.blockingUnaryCall(channel, GreeterGrpc.HELLO,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hi");
	}

}
