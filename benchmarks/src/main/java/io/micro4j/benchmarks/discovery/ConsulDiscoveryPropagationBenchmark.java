package io.micro4j.benchmarks.discovery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.consul.ConsulRegistry;
import io.micro4j.test.consul.ConsulServer;

/**
 * {@link DiscoveryPropagationBenchmark}'s trials through Consul: a server's {@link ConsulRegistry} registers a node
 * (agent register + TTL pass) and a client's {@link RegistryCache} over its own {@code ConsulRegistry} sees it through
 * its blocking query on the service's health; then the node is deregistered. One dev agent launched by
 * {@link ConsulServer}. Writes every trial to {@code benchmarks/results/discovery-propagation-consul.csv}.
 * <pre>
 * ./mvnw -B -q -Pbenchmarks -pl benchmarks -am compile exec:java \
 *     -Dexec.mainClass=io.micro4j.benchmarks.discovery.ConsulDiscoveryPropagationBenchmark
 * </pre>
 */
public final class ConsulDiscoveryPropagationBenchmark {

	private ConsulDiscoveryPropagationBenchmark() {
	}

	public static void main(String[] args) throws IOException {
		try (ConsulServer consul = new ConsulServer().start();
				ConsulRegistry server = ConsulRegistry.builder(consul.address()).build();
				ConsulRegistry client = ConsulRegistry.builder(consul.address()).build();
				RegistryCache cache = RegistryCache.builder(client).build()) {
			String name = "bench";
			cache.getService(name);
			for (int i = 0; i < DiscoveryPropagationBenchmark.WARMUP; i++) {
				DiscoveryPropagationBenchmark.trial(server, cache, name, "warmup-" + i);
			}
			int trials = DiscoveryPropagationBenchmark.TRIALS;
			long[] registered = new long[trials];
			long[] deregistered = new long[trials];
			for (int i = 0; i < trials; i++) {
				long[] times = DiscoveryPropagationBenchmark.trial(server, cache, name, "node-" + i);
				registered[i] = times[0];
				deregistered[i] = times[1];
			}
			Path csv = DiscoveryPropagationBenchmark.write("discovery-propagation-consul.csv", registered,
					deregistered);
			System.out.printf(Locale.ROOT, "consul %s, %d trials%n", consul.address(), trials);
			DiscoveryPropagationBenchmark.report("register -> seen by the client", registered);
			DiscoveryPropagationBenchmark.report("deregister -> gone at the client", deregistered);
			System.out.println("trials written to " + csv.toAbsolutePath());
		}
	}

}
