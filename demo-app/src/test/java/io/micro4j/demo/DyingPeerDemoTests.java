package io.micro4j.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.registry.Registry;
import io.micro4j.test.etcd.EtcdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo as a front instance (REST only, no micro server of its own) on a real etcd with three greeter nodes in
 * JVMs of their own; 16 HTTP clients call {@code GET /hello} back to back, and one node is killed with SIGKILL while
 * calls are in flight on it. {@code Greeter.Hello} is {@code @Idempotent}, so no call fails: the calls caught on the
 * dying node are retried on another one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "micro.server.enabled=false", "micro.registry.type=etcd" })
class DyingPeerDemoTests {

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	private static final List<Process> nodes = new ArrayList<>();

	private static final List<String> ports = new ArrayList<>();

	@DynamicPropertySource
	static void etcdAddress(DynamicPropertyRegistry registry) {
		registry.add("micro.registry.address", etcd::address);
	}

	@BeforeAll
	static void threeGreeterNodes() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		for (int i = 0; i < 3; i++) {
			Process process = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
					System.getProperty("java.class.path"), GreeterNodeMain.class.getName(), etcd.endpoint())
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			nodes.add(process);
			BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = out.readLine()) != null && !line.startsWith("LISTENING ")) {
				// the node's log
			}
			assertThat(line).as("greeter node %d started", i).isNotNull();
			ports.add(line.substring("LISTENING ".length()).trim());
			// keep reading the node's log: a full pipe would block its handlers
			Thread drain = new Thread(() -> {
				try {
					while (out.readLine() != null) {
						// discard
					}
				}
				catch (java.io.IOException ex) {
					// the node is gone
				}
			}, "greeter-node-log-" + i);
			drain.setDaemon(true);
			drain.start();
		}
	}

	@AfterAll
	static void stopNodes() throws Exception {
		for (Process process : nodes) {
			process.getOutputStream().close();
			if (!process.waitFor(5, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		nodes.clear();
	}

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private Registry registry;

	@Test
	void whenOneOfThreeNodesIsKilledUnderLoadThroughTheFrontThenNoCallFails() throws Exception {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.registry.getService("greeter").stream().mapToInt((s) -> s.nodes().size()).sum() == 3);
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger calls = new AtomicInteger();
		ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
		ExecutorService load = Executors.newFixedThreadPool(16);
		for (int t = 0; t < 16; t++) {
			int thread = t;
			load.execute(() -> {
				int n = 0;
				while (running.get()) {
					String name = "t" + thread + "n" + n++;
					try {
						HttpResponse<String> response = http.send(HttpRequest
							.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/hello?name=" + name))
							.timeout(Duration.ofSeconds(30))
							.build(), HttpResponse.BodyHandlers.ofString());
						if (response.statusCode() != 200 || !response.body().contains("Hello " + name)) {
							failures.add(response.statusCode() + " " + response.body());
						}
					}
					catch (Exception ex) {
						failures.add(ex.toString());
					}
					calls.incrementAndGet();
				}
			});
		}
		Thread.sleep(4000);
		int beforeKill = calls.get();
		nodes.get(2).destroyForcibly();
		Thread.sleep(8000);
		running.set(false);
		load.shutdown();
		assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

		org.slf4j.LoggerFactory.getLogger(DyingPeerDemoTests.class)
			.info("{} calls through the front ({} before the kill of the node on port {}), {} failed", calls.get(),
					beforeKill, ports.get(2), failures.size());
		assertThat(beforeKill).isGreaterThan(100);
		assertThat(failures).isEmpty();
	}

}
