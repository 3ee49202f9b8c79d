package io.micro4j.benchmarks.grpc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.micro4j.benchmarks.rpc.GreeterClient;
import io.micro4j.benchmarks.rpc.UnaryRpcBenchmark;
import io.micro4j.benchmarks.rpc.UnaryRpcBenchmark.Caller;
import io.micro4j.benchmarks.rpc.UnaryRpcBenchmark.Run;
import io.micro4j.benchmarks.support.Jvm;
import io.micro4j.benchmarks.support.Results;
import io.micro4j.grpc.GrpcTransportClient;
import io.micro4j.grpc.MicroDiscovery;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.selector.SelectionStrategy;
import io.micro4j.test.etcd.EtcdServer;

/**
 * grpc-java through {@code micro:///} discovery next to grpc-java on a static address, against one grpc-java server
 * in a JVM of its own ({@link GrpcGreeterServer}, registered in etcd).
 * <p>
 * This JVM is the client. Two channels, both grpc-java's shaded Netty transport, call {@code bench.Greeter/Hello}
 * with a 15-byte JSON body:
 * <ul>
 * <li>{@code grpc-static}: the baseline, {@code forAddress("127.0.0.1", port)} (grpc-java's default pick-first);</li>
 * <li>{@code grpc-micro}: {@code forTarget("micro:///bench.grpc.greeter")} with its own {@link EtcdRegistry},
 * {@link RegistryCache} and round-robin {@link DefaultSelector}: the resolver, the {@code micro} load-balancing
 * policy, a selection and the report of each call's outcome on every call;</li>
 * <li>{@code micro-over-grpc}: the micro client ({@link GreeterClient} with {@link GrpcTransportClient}) calling the
 * benchmark's micro handler served on the gRPC transport;</li>
 * <li>{@code micro-over-mucp}: the same client and handler over mucp, the baseline of the line above.</li>
 * </ul>
 * Warm-up, interleaved repeats and the output format are those of {@link UnaryRpcBenchmark}; the ratio is to
 * {@code grpc-static}. System properties: {@code bench.concurrency} (default {@code 1,16,64}), {@code bench.seconds}
 * (5), {@code bench.warmupSeconds} (5), {@code bench.jitWarmupSeconds} (10), {@code bench.repeats} (3),
 * {@code bench.out}. Writes {@code grpc-discovery-runs.csv} and {@code grpc-discovery.csv}.
 */
public final class GrpcDiscoveryBenchmark {

	private GrpcDiscoveryBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int[] concurrencies = Arrays.stream(System.getProperty("bench.concurrency", "1,16,64").split(","))
			.mapToInt((s) -> Integer.parseInt(s.trim()))
			.toArray();
		double seconds = Double.parseDouble(System.getProperty("bench.seconds", "5"));
		double warmupSeconds = Double.parseDouble(System.getProperty("bench.warmupSeconds", "5"));
		double jitWarmupSeconds = Double.parseDouble(System.getProperty("bench.jitWarmupSeconds", "10"));
		int repeats = Integer.parseInt(System.getProperty("bench.repeats", "3"));
		Path out = Results.directory();
		int port = Jvm.freePort();
		System.out.printf(Locale.ROOT, "gRPC discovery: concurrency %s, %d runs of %.1f s after %.1f s warm-up, %d cores%n",
				Arrays.toString(concurrencies), repeats, seconds, warmupSeconds,
				Runtime.getRuntime().availableProcessors());
		List<String> serverJvm = new ArrayList<>(List.of("-Xms256m", "-Xmx256m"));
		serverJvm.addAll(Jvm.extraServerArgs());
		try (EtcdServer etcd = new EtcdServer().start();
				Jvm server = Jvm.start("grpc-greeter", serverJvm, Jvm.classPath(), GrpcGreeterServer.class.getName(),
						etcd.address(), Integer.toString(port), Integer.toString(Jvm.freePort()),
						Integer.toString(Jvm.freePort()));
				GrpcTransportClient grpcTransport = GrpcTransportClient.builder().build();
				GreeterClient microGrpc = new GreeterClient(etcd.address(), GrpcGreeterServer.MICRO_GRPC_SERVICE,
						grpcTransport);
				GreeterClient microMucp = new GreeterClient(etcd.address(), GrpcGreeterServer.MICRO_MUCP_SERVICE);
				EtcdRegistry registry = EtcdRegistry.builder(etcd.address()).build();
				RegistryCache cache = RegistryCache.builder(registry).build();
				DefaultSelector selector = DefaultSelector.builder(cache)
					.strategy(SelectionStrategy.roundRobin())
					.build()) {
			ManagedChannel staticChannel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
			ManagedChannel microChannel = NettyChannelBuilder.forTarget("micro:///" + GrpcGreeterServer.SERVICE)
				.usePlaintext()
				.setNameResolverArg(MicroDiscovery.ARG, MicroDiscovery.of(cache, selector))
				.build();
			try {
				Map<String, Caller> callers = new LinkedHashMap<>();
				callers.put("grpc-static", () -> hello(staticChannel));
				callers.put("grpc-micro", () -> hello(microChannel));
				callers.put("micro-over-grpc", microGrpc::hello);
				callers.put("micro-over-mucp", microMucp::hello);
				for (Map.Entry<String, Caller> caller : callers.entrySet()) {
					UnaryRpcBenchmark.awaitCalls(caller.getKey(), server, caller.getValue());
				}
				List<String> names = new ArrayList<>(callers.keySet());
				for (String name : names) {
					Run warm = UnaryRpcBenchmark.measure(16, name, 0, callers.get(name), jitWarmupSeconds);
					System.out.printf(Locale.ROOT, "warm-up %-12s %,d calls at c=16%n", name, warm.calls());
				}
				List<Run> runs = new ArrayList<>();
				for (int concurrency : concurrencies) {
					for (String name : names) {
						UnaryRpcBenchmark.measure(concurrency, name, 0, callers.get(name), warmupSeconds);
					}
					for (int run = 1; run <= repeats; run++) {
						for (int i = 0; i < names.size(); i++) {
							String name = names.get((i + run - 1) % names.size());
							Run result = UnaryRpcBenchmark.measure(concurrency, name, run, callers.get(name), seconds);
							runs.add(result);
							System.out.printf(Locale.ROOT,
									"c=%-3d %-12s run %d: %,9.0f calls/s  p50 %7.0f µs  p99 %7.0f µs%s%n", concurrency,
									name, run, result.throughput(), result.p50Nanos() / 1e3, result.p99Nanos() / 1e3,
									(result.errors() > 0) ? "  errors " + result.errors() : "");
						}
					}
				}
				UnaryRpcBenchmark.write(out, "grpc-discovery", "grpc-static", runs, names, concurrencies);
			}
			finally {
				staticChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
				microChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}
	}

	private static void hello(ManagedChannel channel) {
		byte[] answer = ClientCalls.blockingUnaryCall(channel, GrpcGreeter.HELLO,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), GrpcGreeter.REQUEST);
		if (answer.length != GrpcGreeter.RESPONSE.length) {
			throw new IllegalStateException("unexpected answer of " + answer.length + " bytes");
		}
	}

}
