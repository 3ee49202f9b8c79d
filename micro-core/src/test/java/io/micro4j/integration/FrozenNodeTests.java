package io.micro4j.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micro4j.client.CallOptions;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.Idempotent;
import io.micro4j.client.Request;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.selector.SelectionStrategy;
import io.micro4j.transport.http.HttpTransportClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three server processes, one frozen with SIGSTOP: it accepts connections (the kernel does) but never answers. The
 * client's timeouts eject it, so almost no call pays the attempt timeout; once resumed it gets calls again.
 */
class FrozenNodeTests {

	private static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(500);

	private static final Duration EJECTION = Duration.ofSeconds(8);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void closeAll() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
	}

	@Test
	void whenOneOfThreeNodesIsFrozenThenCallsSucceedAndAtMostTwoPayTheAttemptTimeout() throws Exception {
		MemoryRegistry registry = new MemoryRegistry();
		java.util.concurrent.atomic.AtomicInteger toFrozen = new java.util.concurrent.atomic.AtomicInteger();
		List<Node> nodes = new ArrayList<>();
		NodeProcess frozen = null;
		for (String name : List.of("n1", "n2", "n3")) {
			NodeProcess process = NodeProcess.start(name);
			this.closeables.add(process);
			nodes.add(new Node("nodes-" + name, "127.0.0.1:" + process.port(), Map.of("protocol", "mucp")));
			frozen = process;
		}
		// the record a server writes for an @Idempotent endpoint
		Endpoint who = new Endpoint("Nodes.Who", null, null, Map.of(Idempotent.METADATA_KEY, "true"));
		registry.register(new Service("nodes", "latest", Map.of(), List.of(who), nodes), Duration.ZERO);
		RegistryCache cache = RegistryCache.builder(registry).build();
		HttpTransportClient transport = HttpTransportClient.builder().build();
		io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		DefaultClient client = DefaultClient.builder(DefaultSelector.builder(cache)
			.strategy(SelectionStrategy.roundRobin())
			.ejectionBase(EJECTION)
			.ejectionMax(EJECTION.multipliedBy(4))
			.build(), transport).registry(cache).meterRegistry(meters)
			.wrapper(next -> context -> {
				// per attempt, after selection: count the attempts that go to the node about to be frozen
				if (context.node().map(Node::id).filter("nodes-n3"::equals).isPresent()) {
					toFrozen.incrementAndGet();
				}
				return next.call(context);
			})
			.build();
		this.closeables.addAll(List.of(registry, cache, transport, client));
		CallOptions options = CallOptions.builder().connectionTimeout(ATTEMPT_TIMEOUT)
			.requestTimeout(Duration.ofSeconds(10)).build();
		Request request = Request.of("nodes", "Nodes.Who", new NodeProcess.Who("?"));
		for (int i = 0; i < 30; i++) {
			client.call(request, NodeProcess.Who.class, options);
		}

		frozen.signal("STOP");
		toFrozen.set(0);
		int slow = 0;
		Map<String, Integer> answers = new HashMap<>();
		for (int i = 0; i < 100; i++) {
			long start = System.nanoTime();
			NodeProcess.Who answer = client.call(request, NodeProcess.Who.class, options);
			if (Duration.ofNanos(System.nanoTime() - start).compareTo(ATTEMPT_TIMEOUT) > 0) {
				slow++;
			}
			answers.merge(answer.name(), 1, Integer::sum);
		}

		assertThat(answers.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
		assertThat(answers).doesNotContainKey("n3");
		// every attempt sent to the frozen node costs the attempt timeout: after two it is ejected. On a loaded
		// machine a call can also be slow for other reasons, so the wall-clock count is looser
		assertThat(toFrozen.get()).isLessThanOrEqualTo(2);
		assertThat(slow).isLessThanOrEqualTo(10);

		frozen.signal("CONT");
		await().atMost(EJECTION.multipliedBy(6)).pollInterval(Duration.ofMillis(100))
			.until(() -> "n3".equals(client.<NodeProcess.Who>call(request, NodeProcess.Who.class, options).name()));
	}

}
