package io.micro4j.benchmarks.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micro4j.benchmarks.rpc.UnaryRpcBenchmark.Run;

/**
 * A stand-in for the go-micro peer of baseline (c) that honours its command line with micro4j instead of
 * go-micro, so that the driving of the peer by {@link UnaryRpcBenchmark} can be tested on a machine without Go
 * (the benchmark smoke run does). It measures micro4j, not go-micro: rows it produces are no results.
 * <ul>
 * <li>{@code server --etcd <host:port> --name <service> --address <host:port>}: a micro4j server with the
 * {@link Greeter}, as {@link MucpGreeterServer} runs it; prints {@code READY <address>} and stops when terminated or
 * when its standard input closes;</li>
 * <li>{@code client --etcd <host:port> --service <name> --concurrency <n> --seconds <s> --warmup <s>}: the micro4j
 * {@link GreeterClient} under {@link UnaryRpcBenchmark#measure}, then one line of JSON as the peer prints it.</li>
 * </ul>
 * {@code benchmarks/go-peer/stand-in} launches it with the benchmarks' class path.
 */
public final class StandInGoPeer {

	private StandInGoPeer() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 0 || !List.of("server", "client").contains(args[0])) {
			System.err.println("usage: stand-in server --etcd <host:port> --name <service> --address <host:port>");
			System.err.println("       stand-in client --etcd <host:port> --service <name> --concurrency <n> "
					+ "--seconds <s> --warmup <s>");
			System.exit(2);
		}
		Map<String, String> options = options(args);
		String etcd = options.getOrDefault("etcd", "127.0.0.1:2379");
		if (args[0].equals("server")) {
			MucpGreeterServer.serve(etcd, options.getOrDefault("name", UnaryRpcBenchmark.GO_SERVICE),
					options.getOrDefault("address", "127.0.0.1:0"));
			exitWhenInputCloses();
			return;
		}
		int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "1"));
		double seconds = Double.parseDouble(options.getOrDefault("seconds", "5"));
		double warmup = Double.parseDouble(options.getOrDefault("warmup", "1"));
		try (GreeterClient client = new GreeterClient(etcd,
				options.getOrDefault("service", MucpGreeterServer.SERVICE))) {
			if (warmup > 0) {
				UnaryRpcBenchmark.measure(concurrency, "warm-up", 0, client::hello, warmup);
			}
			Run run = UnaryRpcBenchmark.measure(concurrency, "stand-in", 1, client::hello, seconds);
			System.out.println(run.json());
			System.out.flush();
		}
		System.exit(0);
	}

	/** {@code --key value} pairs after the command. */
	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (int i = 1; i < args.length; i++) {
			if (!args[i].startsWith("--") || i + 1 == args.length) {
				throw new IllegalArgumentException("expected --option value at " + args[i]);
			}
			options.put(args[i].substring(2), args[++i]);
		}
		return options;
	}

	/** Exits (the shutdown hook closes the server) once the standard input ends, as the peer server does. */
	private static void exitWhenInputCloses() {
		Thread watcher = new Thread(() -> {
			try {
				InputStream in = System.in;
				while (in.read() != -1) {
					// ignored
				}
			}
			catch (IOException ex) {
				// closed
			}
			System.exit(0);
		}, "stdin-watcher");
		watcher.start();
	}

}
