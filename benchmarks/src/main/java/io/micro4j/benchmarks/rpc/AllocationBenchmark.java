package io.micro4j.benchmarks.rpc;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.micro4j.benchmarks.rpc.Greeter.HelloRequest;
import io.micro4j.benchmarks.rpc.Greeter.HelloResponse;
import io.micro4j.benchmarks.support.Results;
import io.micro4j.benchmarks.support.Stats;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.grpc.GrpcTransportClient;
import io.micro4j.grpc.GrpcTransportServer;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.server.DefaultServer;
import io.micro4j.transport.http.HttpTransportClient;

/**
 * Bytes allocated per unary call on the client path and on the server path: client and server in one JVM over
 * loopback (memory registry), one caller thread.
 * <p>
 * Reads HotSpot's per-thread allocation counters ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes},
 * the counter JMH's {@code -prof gc} divides by operations) for every live thread before and after
 * {@code bench.calls} calls (default 30,000, after as many warm-up calls), and attributes each thread by name: the
 * caller and {@code micro4j-http-client*} threads to the client; {@code micro4j-http-server*} and
 * {@code micro-handler-*} threads to the server; any other thread (registry, timers) to "other". The caller's
 * count includes a few bytes per call of the sampling itself. The same split of thread CPU time
 * ({@code getThreadCpuTime}) gives CPU microseconds per call, which other load on the machine disturbs far less than
 * throughput. Three rounds; writes {@code allocation.csv}.
 * <p>
 * With {@code bench.protocol=grpc} the same handler is served on the gRPC transport and called through the client's
 * gRPC transport ({@code micro-grpc-client*} threads count as client, grpc-java's {@code grpc-*} threads as
 * server); writes {@code allocation-grpc.csv}.
 */
public final class AllocationBenchmark {

	private AllocationBenchmark() {
	}

	public static void main(String[] args) throws IOException {
		int calls = Integer.parseInt(System.getProperty("bench.calls", "30000"));
		int rounds = Integer.parseInt(System.getProperty("bench.repeats", "3"));
		boolean grpc = "grpc".equals(System.getProperty("bench.protocol", "mucp"));
		Path out = Results.directory();
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		threads.setThreadAllocatedMemoryEnabled(true);
		try (MemoryRegistry registry = new MemoryRegistry();
				DefaultServer server = DefaultServer.builder(MucpGreeterServer.SERVICE)
					.address("127.0.0.1:0")
					.registry(registry)
					.transport(grpc ? GrpcTransportServer.builder().address("127.0.0.1:0").build() : null)
					.build();
				GrpcTransportClient grpcTransport = GrpcTransportClient.builder().build();
				RegistryCache cache = RegistryCache.builder(registry).build();
				DefaultSelector selector = DefaultSelector.builder(cache).build();
				HttpTransportClient transport = HttpTransportClient.builder().build();
				DefaultClient client = DefaultClient.builder(selector, transport).transport("grpc", grpcTransport).build()) {
			server.handle("Greeter", new Greeter());
			server.start();
			Request request = Request.of(MucpGreeterServer.SERVICE, "Greeter.Hello", new HelloRequest("John"));
			call(client, request, calls);
			double[][] perRound = new double[rounds][];
			for (int round = 0; round < rounds; round++) {
				Map<String, Long> before = byRole(threads, false);
				Map<String, Long> cpuBefore = byRole(threads, true);
				call(client, request, calls);
				Map<String, Long> cpuAfter = byRole(threads, true);
				Map<String, Long> after = byRole(threads, false);
				perRound[round] = new double[] { perCall(before, after, "client", calls),
						perCall(before, after, "server", calls), perCall(before, after, "other", calls),
						perCall(cpuBefore, cpuAfter, "client", calls) / 1e3,
						perCall(cpuBefore, cpuAfter, "server", calls) / 1e3,
						perCall(cpuBefore, cpuAfter, "other", calls) / 1e3 };
				System.out.printf(Locale.ROOT,
						"round %d: client %.0f B/call %.1f µs CPU/call, server %.0f B/call %.1f µs CPU/call, "
								+ "other %.0f B/call%n",
						round + 1, perRound[round][0], perRound[round][3], perRound[round][1], perRound[round][4],
						perRound[round][2]);
			}
			Files.createDirectories(out);
			Path csv = out.resolve(grpc ? "allocation-grpc.csv" : "allocation.csv");
			try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(csv))) {
				writer.println("path,bytes_per_call_mean,bytes_per_call_min,bytes_per_call_max,"
						+ "cpu_us_per_call_mean,cpu_us_per_call_min,cpu_us_per_call_max,calls,rounds");
				String[] paths = { "client", "server", "other" };
				for (int i = 0; i < paths.length; i++) {
					int index = i;
					double[] bytes = java.util.Arrays.stream(perRound).mapToDouble(r -> r[index]).toArray();
					double[] cpu = java.util.Arrays.stream(perRound).mapToDouble(r -> r[index + 3]).toArray();
					writer.printf(Locale.ROOT, "%s,%.0f,%.0f,%.0f,%.1f,%.1f,%.1f,%d,%d%n", paths[i], Stats.mean(bytes),
							Stats.min(bytes), Stats.max(bytes), Stats.mean(cpu), Stats.min(cpu), Stats.max(cpu), calls,
							rounds);
				}
			}
			System.out.println("written to " + csv.toAbsolutePath());
		}
	}

	private static void call(DefaultClient client, Request request, int calls) {
		for (int i = 0; i < calls; i++) {
			HelloResponse response = client.call(request, HelloResponse.class);
			if (!"Hello John".equals(response.msg())) {
				throw new IllegalStateException("unexpected answer " + response);
			}
		}
	}

	private static double perCall(Map<String, Long> before, Map<String, Long> after, String role, int calls) {
		return (after.getOrDefault(role, 0L) - before.getOrDefault(role, 0L)) / (double) calls;
	}

	/** Bytes allocated (or CPU nanoseconds used) so far per role, summed over the live threads. */
	private static Map<String, Long> byRole(com.sun.management.ThreadMXBean threads, boolean cpu) {
		Map<String, Long> totals = new HashMap<>();
		Thread current = Thread.currentThread();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			long bytes = cpu ? threads.getThreadCpuTime(thread.getId()) : threads.getThreadAllocatedBytes(thread.getId());
			if (bytes < 0) {
				continue;
			}
			String name = thread.getName();
			String role = (thread == current || name.startsWith("micro4j-http-client")
					|| name.startsWith("micro-grpc-client")) ? "client"
					: (name.startsWith("micro4j-http-server") || name.startsWith("micro-handler-")
							|| name.startsWith("grpc-")) ? "server" : "other";
			totals.merge(role, bytes, Long::sum);
		}
		return totals;
	}

}
