package io.micro4j.benchmarks.discovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.micro4j.benchmarks.support.Results;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.Service;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.test.etcd.EtcdServer;

/**
 * Discovery propagation through etcd: how long after a server registers a node a client's {@link RegistryCache}
 * returns it, and how long after it deregisters the node is gone. The server and the client each have their own
 * {@link EtcdRegistry} (their own connection), as two processes would, on one etcd launched from its binary.
 * <p>
 * Each of the {@value #TRIALS} trials (after {@value #WARMUP} warm-up trials) registers a new node and polls the
 * client's cache every 50 µs until it appears, then deregisters it and polls until it is gone. The times include the
 * registering side's calls (lease grant and put; delete) and the watch delivery. Prints p50, p99 and max and writes
 * every trial to {@code benchmarks/results/discovery-propagation.csv}.
 * <pre>
 * ./mvnw -B -q -Pbenchmarks -pl benchmarks -am compile exec:java \
 *     -Dexec.mainClass=io.micro4j.benchmarks.discovery.DiscoveryPropagationBenchmark
 * </pre>
 */
public final class DiscoveryPropagationBenchmark {

	static final int TRIALS = 200;

	static final int WARMUP = 20;

	private static final Duration GIVE_UP = Duration.ofSeconds(10);

	private DiscoveryPropagationBenchmark() {
	}

	public static void main(String[] args) throws IOException {
		try (EtcdServer etcd = new EtcdServer().start();
				EtcdRegistry server = EtcdRegistry.builder(etcd.address()).build();
				EtcdRegistry client = EtcdRegistry.builder(etcd.address()).build();
				RegistryCache cache = RegistryCache.builder(client).build()) {
			String name = "bench";
			cache.getService(name);
			for (int i = 0; i < WARMUP; i++) {
				trial(server, cache, name, "warmup-" + i);
			}
			long[] registered = new long[TRIALS];
			long[] deregistered = new long[TRIALS];
			for (int i = 0; i < TRIALS; i++) {
				long[] times = trial(server, cache, name, "node-" + i);
				registered[i] = times[0];
				deregistered[i] = times[1];
			}
			Path csv = write(registered, deregistered);
			System.out.printf(Locale.ROOT, "etcd %s, %d trials%n", etcd.address(), TRIALS);
			report("register -> seen by the client", registered);
			report("deregister -> gone at the client", deregistered);
			System.out.println("trials written to " + csv.toAbsolutePath());
		}
	}

	/** Registers node {@code id} and waits for the cache to show it, then deregisters it and waits until it is gone. */
	static long[] trial(Registry server, RegistryCache cache, String name, String id) {
		Service service = new Service(name, "latest", Map.of(), List.of(),
				List.of(new Node(id, "127.0.0.1:20000", Map.of("protocol", "mucp"))));
		long start = System.nanoTime();
		server.register(service, Duration.ofSeconds(30));
		awaitTrue(() -> contains(cache.getService(name), id), id + " to appear");
		long seen = System.nanoTime();
		server.deregister(service);
		awaitTrue(() -> !contains(cache.getService(name), id), id + " to go");
		long gone = System.nanoTime();
		return new long[] { seen - start, gone - seen };
	}

	private static boolean contains(List<Service> services, String id) {
		for (Service service : services) {
			for (Node node : service.nodes()) {
				if (node.id().equals(id)) {
					return true;
				}
			}
		}
		return false;
	}

	private static void awaitTrue(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + GIVE_UP.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("gave up waiting for " + what + " after " + GIVE_UP);
			}
			LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
		}
	}

	static void report(String what, long[] nanos) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		System.out.printf(Locale.ROOT, "%-34s p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms%n", what,
				millis(percentile(sorted, 50)), millis(percentile(sorted, 99)), millis(sorted[sorted.length - 1]));
	}

	/** The nearest-rank percentile of sorted values. */
	static long percentile(long[] sorted, int percent) {
		int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
		return sorted[Math.max(0, rank - 1)];
	}

	private static double millis(long nanos) {
		return nanos / 1_000_000.0;
	}

	static Path write(long[] registered, long[] deregistered) throws IOException {
		return write("discovery-propagation.csv", registered, deregistered);
	}

	/** Writes every trial to {@code results/<file>}. */
	static Path write(String file, long[] registered, long[] deregistered) throws IOException {
		Path dir = Results.directory();
		List<String> lines = new ArrayList<>();
		lines.add("trial,register_to_seen_ms,deregister_to_gone_ms");
		for (int i = 0; i < registered.length; i++) {
			lines.add(String.format(Locale.ROOT, "%d,%.3f,%.3f", i, millis(registered[i]), millis(deregistered[i])));
		}
		Path csv = dir.resolve(file);
		Files.write(csv, lines, StandardCharsets.UTF_8);
		return csv;
	}

}
