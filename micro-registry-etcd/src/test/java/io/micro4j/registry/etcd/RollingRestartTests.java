package io.micro4j.registry.etcd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.errors.MicroException;
import io.micro4j.registry.RegistryCache;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.selector.SelectionStrategy;
import io.micro4j.server.DefaultServer;
import io.micro4j.test.etcd.EtcdServer;
import io.micro4j.transport.http.HttpTransportClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling restart of three greeter processes registered in a real etcd, under load from eight threads calling a
 * non-idempotent endpoint: each node in turn gets a replacement, then stops gracefully (deregister, wait, drain,
 * close). No call is lost.
 */
class RollingRestartTests {

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	/** A greeter in its own JVM, registered in etcd; stops gracefully when its standard input closes. */
	public static void main(String[] args) throws Exception {
		EtcdRegistry registry = EtcdRegistry.builder(args[0]).build();
		DefaultServer server = DefaultServer.builder("greeter")
			.address("127.0.0.1:0")
			.registry(registry)
			.registerTtl(Duration.ofSeconds(10))
			.registerInterval(Duration.ofSeconds(3))
			.deregisterDelay(Duration.ofMillis(1500))
			.build();
		server.handle(new Greeter(args[1]));
		server.start();
		System.out.println("LISTENING " + server.boundAddress().orElseThrow().getPort());
		System.out.flush();
		while (System.in.read() >= 0) {
			// until the test closes our input
		}
		server.stop();
		registry.close();
		System.exit(0);
	}

	private static Process start(String tag) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
				"-cp", System.getProperty("java.class.path"), RollingRestartTests.class.getName(), etcd.endpoint(), tag))
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line;
		while ((line = out.readLine()) != null) {
			if (line.startsWith("LISTENING ")) {
				return process;
			}
		}
		process.destroyForcibly();
		throw new IOException("greeter process " + tag + " did not start");
	}

	private static void stopGracefully(Process process) throws Exception {
		process.getOutputStream().close();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("greeter process did not stop within 30 s");
		}
	}

	@Test
	void whenThreeNodesAreRestartedOneByOneUnderLoadThenNoCallIsLost() throws Exception {
		List<Process> nodes = new ArrayList<>();
		EtcdRegistry registry = EtcdRegistry.builder(etcd.endpoint()).build();
		RegistryCache cache = RegistryCache.builder(registry).build();
		HttpTransportClient transport = HttpTransportClient.builder().build();
		ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
		DefaultClient client = DefaultClient.builder(DefaultSelector.builder(cache)
			.strategy(SelectionStrategy.roundRobin())
			.prober((node) -> transport.probe(node.address(), Duration.ofSeconds(1)), timer)
			.build(), transport).registry(cache).build();
		ExecutorService load = Executors.newFixedThreadPool(8);
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger calls = new AtomicInteger();
		ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
		try {
			for (int i = 1; i <= 3; i++) {
				nodes.add(start("v1-" + i));
			}
			await().atMost(Duration.ofSeconds(20))
				.until(() -> registry.getService("greeter").stream().mapToInt(s -> s.nodes().size()).sum() == 3);
			Request request = Request.of("greeter", "Greeter.Hello", new Greeter.Request("John"));
			for (int t = 0; t < 8; t++) {
				load.execute(() -> {
					while (running.get()) {
						try {
							client.call(request, Greeter.Response.class);
						}
						catch (MicroException ex) {
							failures.add(ex.toJson());
						}
						calls.incrementAndGet();
					}
				});
			}
			Thread.sleep(1000);
			for (int i = 0; i < 3; i++) {
				Process replacement = start("v2-" + (i + 1));
				await().atMost(Duration.ofSeconds(20))
					.until(() -> cache.getService("greeter").stream().mapToInt(s -> s.nodes().size()).sum() == 4);
				stopGracefully(nodes.set(i, replacement));
				await().atMost(Duration.ofSeconds(20))
					.until(() -> cache.getService("greeter").stream().mapToInt(s -> s.nodes().size()).sum() == 3);
			}
			Thread.sleep(1000);
		}
		finally {
			running.set(false);
			load.shutdown();
			load.awaitTermination(30, TimeUnit.SECONDS);
			for (Process node : nodes) {
				stopGracefully(node);
			}
			client.close();
			timer.shutdownNow();
			transport.close();
			cache.close();
			registry.close();
		}

		assertThat(calls.get()).isGreaterThan(1000);
		assertThat(failures).isEmpty();
		org.slf4j.LoggerFactory.getLogger(RollingRestartTests.class)
			.info("rolling restart of 3 nodes under load: {} calls, {} failed", calls.get(), failures.size());
	}

}
