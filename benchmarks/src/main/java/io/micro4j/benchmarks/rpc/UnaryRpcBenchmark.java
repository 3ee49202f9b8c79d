package io.micro4j.benchmarks.rpc;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.micro4j.benchmarks.rest.RestGreeterApplication;
import io.micro4j.benchmarks.rpc.Greeter.HelloRequest;
import io.micro4j.benchmarks.rpc.Greeter.HelloResponse;
import io.micro4j.benchmarks.support.Jvm;
import io.micro4j.benchmarks.support.Peer;
import io.micro4j.benchmarks.support.Results;
import io.micro4j.benchmarks.support.Stats;
import io.micro4j.client.DefaultClient;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.test.etcd.EtcdServer;
import io.micro4j.transport.http.HttpTransportClient;

import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.web.client.RestClient;

/**
 * Unary RPC over mucp/HTTP next to its baselines, client and servers in separate JVMs.
 * <p>
 * This JVM is the client. It starts etcd (the {@code micro-test} launcher), a {@link MucpGreeterServer} JVM that
 * registers {@value MucpGreeterServer#SERVICE} in etcd, and a {@link RestGreeterApplication} JVM (Spring MVC on
 * Tomcat, without micro4j on its class path). Then, at each concurrency, it runs these clients, all sending
 * {@code {"name":"John"}} and checking {@code {"msg":"Hello John"}}:
 * <ul>
 * <li>{@code micro4j}: {@link DefaultClient} through its own {@link EtcdRegistry}, a {@link RegistryCache} and a
 * round-robin {@link DefaultSelector}, over {@link HttpTransportClient};</li>
 * <li>{@code raw-mucp}: baseline (b), the JDK {@link HttpClient} sending go-micro's mucp request (the headers a Go
 * client writes) to the same server: what the mucp server costs without our client;</li>
 * <li>{@code raw-rest}: the JDK {@link HttpClient} posting the same JSON to the {@code @RestController}: what
 * Spring MVC on Tomcat costs without {@link RestClient};</li>
 * <li>{@code spring-rest}: baseline (a), Spring {@link RestClient} on its {@link JdkClientHttpRequestFactory} (the
 * factory Spring Boot picks when no other HTTP client library is on the class path) calling the
 * {@code @RestController};</li>
 * <li>{@code spring-rest-simple}: baseline (a) again, the same {@link RestClient} on
 * {@link SimpleClientHttpRequestFactory} ({@code HttpURLConnection}, keep-alive): the fastest {@link RestClient}
 * set-up measured here, so the ratio against it is the conservative one;</li>
 * <li>baseline (c), only when {@value #GO_MICRO_ENV} names the go-micro peer binary built from
 * {@code benchmarks/go-peer} (otherwise the driver says it skipped them): {@code go-micro>go}, the peer's go-micro
 * client calling the peer's go-micro server {@value #GO_SERVICE}, and {@code go-micro>java}, the same client
 * calling {@value MucpGreeterServer#SERVICE}.</li>
 * </ul>
 * The peer is driven through its command line (the contract {@code benchmarks/go-peer/README.md} describes):
 * <ul>
 * <li>{@code <peer> server --etcd <host:port> --name <service> --address 127.0.0.1:<port>} serves
 * {@code Greeter.Hello} (go-micro's default server, http transport, JSON), registered in etcd, prints
 * {@code READY <address>} once serving and stops on SIGTERM or when its standard input closes; the driver starts
 * it next to the other servers;</li>
 * <li>{@code <peer> client --etcd <host:port> --service <name> --concurrency <n> --seconds <s> --warmup <s>} calls
 * back to back from {@code n} goroutines, then prints one line
 * {@code {"calls":N,"errors":E,"seconds":S,"p50_us":..,"p99_us":..,"p999_us":..,"mean_us":..}} (nearest-rank
 * percentiles over the calls that ended in the window, as {@link #measure} counts them) and exits 0. Each run of
 * a go-micro client is one such process, with its own warm-up of {@code min(1 s, bench.warmupSeconds)}; the
 * driver's JIT and per-point warm-ups are for the JVM clients only.</li>
 * </ul>
 * {@code benchmarks/go-peer/stand-in} honours the same command line with micro4j in a JVM; it checks this plumbing
 * (the smoke run uses it) and measures micro4j, not go-micro.
 * Each client is first warmed up for {@code bench.jitWarmupSeconds} at concurrency 16 (both JVMs reach compiled
 * code), then again at each concurrency, then every point is measured {@code bench.repeats} times with the
 * clients interleaved (rotating their order), so the ratios compare runs made side by side. One thread per
 * concurrent caller, each making blocking calls back to back.
 * <p>
 * System properties: {@code bench.concurrency} (default {@code 1,16,64}), {@code bench.seconds} (per run, 5),
 * {@code bench.warmupSeconds} (per point, 5), {@code bench.jitWarmupSeconds} (15),
 * {@code bench.clients} (a comma-separated subset of the clients, e.g. {@code micro4j} to profile it alone), {@code bench.repeats} (3), {@code bench.out} ({@code benchmarks/results}),
 * {@code bench.serverJvmArgs} (extra options of the server JVMs, e.g. to record JFR). Writes
 * {@code unary-rpc-runs.csv} (every run) and {@code unary-rpc.csv} (mean and spread per point).
 */
public final class UnaryRpcBenchmark {

	/** The environment variable naming a go-micro peer binary for baseline (c). */
	public static final String GO_MICRO_ENV = "MICRO4J_GO_MICRO_BENCH";

	/** The service name of the go-micro peer's server. */
	public static final String GO_SERVICE = "bench.go.greeter";

	private static final Pattern JSON_NUMBER = Pattern.compile("\"(\\w+)\"\\s*:\\s*(-?[0-9][0-9.eE+-]*)");

	private static final byte[] MUCP_BODY = "{\"name\":\"John\"}".getBytes(StandardCharsets.UTF_8);

	private static final List<String> SERVER_JVM = List.of("-Xms256m", "-Xmx256m");

	private UnaryRpcBenchmark() {
	}

	/** One blocking greeting round trip; throws when the answer is not the expected one. */
	@FunctionalInterface
	public interface Caller {

		void call() throws Exception;

	}

	/** One timed run of one client at one concurrency: in this JVM ({@link #measure}) or a peer process. */
	@FunctionalInterface
	interface Load {

		Run run(int concurrency, int run, double seconds) throws Exception;

	}

	/** The result of one timed run of one client at one concurrency. */
	public record Run(int concurrency, String client, int run, long calls, long errors, double seconds, long p50Nanos,
			long p99Nanos, long p999Nanos, double meanNanos) {

		public double throughput() {
			return this.calls / this.seconds;
		}

		/** The line a peer client prints: {@code {"calls":N,"errors":E,"seconds":S,"p50_us":..,...}}. */
		String json() {
			return String.format(Locale.ROOT,
					"{\"calls\":%d,\"errors\":%d,\"seconds\":%s,\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,"
							+ "\"mean_us\":%.1f}",
					this.calls, this.errors, this.seconds, this.p50Nanos / 1e3, this.p99Nanos / 1e3,
					this.p999Nanos / 1e3, this.meanNanos / 1e3);
		}

		/** Reads the line of a peer client ({@link #json()}) as run {@code run} of {@code client}. */
		static Run fromJson(String line, int concurrency, String client, int run) {
			Map<String, Double> fields = new LinkedHashMap<>();
			Matcher matcher = JSON_NUMBER.matcher(line);
			while (matcher.find()) {
				fields.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
			}
			List<String> missing = new ArrayList<>(
					List.of("calls", "errors", "seconds", "p50_us", "p99_us", "p999_us", "mean_us"));
			missing.removeAll(fields.keySet());
			if (!missing.isEmpty()) {
				throw new IllegalStateException(client + ": no " + missing + " in the peer's line " + line);
			}
			return new Run(concurrency, client, run, fields.get("calls").longValue(),
					fields.get("errors").longValue(), fields.get("seconds"), Math.round(fields.get("p50_us") * 1e3),
					Math.round(fields.get("p99_us") * 1e3), Math.round(fields.get("p999_us") * 1e3),
					fields.get("mean_us") * 1e3);
		}

	}

	public static void main(String[] args) throws Exception {
		int[] concurrencies = Arrays.stream(System.getProperty("bench.concurrency", "1,16,64").split(","))
			.mapToInt(s -> Integer.parseInt(s.trim()))
			.toArray();
		double seconds = Double.parseDouble(System.getProperty("bench.seconds", "5"));
		double warmupSeconds = Double.parseDouble(System.getProperty("bench.warmupSeconds", "5"));
		double jitWarmupSeconds = Double.parseDouble(System.getProperty("bench.jitWarmupSeconds", "15"));
		int repeats = Integer.parseInt(System.getProperty("bench.repeats", "3"));
		Path out = Results.directory();
		int mucpPort = Jvm.freePort();
		int restPort = Jvm.freePort();
		System.out.printf(Locale.ROOT, "unary RPC: concurrency %s, %d runs of %.1f s after %.1f s warm-up, %d cores%n",
				Arrays.toString(concurrencies), repeats, seconds, warmupSeconds,
				Runtime.getRuntime().availableProcessors());
		Path goMicro = goMicroPeer();
		if (goMicro == null) {
			System.out.println("baseline (c) go-micro client -> go-micro server / Java server: skipped, " + GO_MICRO_ENV
					+ " is unset (no go-micro binary on this machine)");
		}
		else {
			System.out.println("baseline (c): go-micro peer " + goMicro + " (" + GO_MICRO_ENV
					+ "), clients go-micro>go and go-micro>java");
		}
		double peerWarmupSeconds = Math.min(1.0, warmupSeconds);
		List<String> serverJvm = new ArrayList<>(SERVER_JVM);
		serverJvm.addAll(Jvm.extraServerArgs());
		try (EtcdServer etcd = new EtcdServer().start();
				Jvm mucp = Jvm.start("mucp-greeter", serverJvm, Jvm.classPath(), MucpGreeterServer.class.getName(),
						etcd.address(), Integer.toString(mucpPort));
				Jvm rest = Jvm.start("rest-greeter", serverJvm, Jvm.classPathWithoutMicro4j(),
						RestGreeterApplication.class.getName(), "--server.port=" + restPort,
						"--spring.main.banner-mode=off", "--logging.level.root=WARN");
				@Nullable Peer goServer = (goMicro != null) ? Peer.start("go-micro-greeter", false, goMicro, "server",
						"--etcd", etcd.address(), "--name", GO_SERVICE, "--address", "127.0.0.1:" + Jvm.freePort())
						: null;
				GreeterClient micro4j = new GreeterClient(etcd.address(), MucpGreeterServer.SERVICE)) {
			HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			HttpClient springJdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			RestClient restClient = RestClient.builder()
				.baseUrl("http://127.0.0.1:" + restPort)
				.requestFactory(new JdkClientHttpRequestFactory(springJdk))
				.build();
			RestClient simpleRestClient = RestClient.builder()
				.baseUrl("http://127.0.0.1:" + restPort)
				.requestFactory(new SimpleClientHttpRequestFactory())
				.build();
			HttpRequest mucpRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mucpPort + "/"))
				.POST(HttpRequest.BodyPublishers.ofByteArray(MUCP_BODY))
				.header("Accept", "application/json")
				.header("Content-Type", "application/json")
				.header("Micro-Endpoint", "Greeter.Hello")
				.header("Micro-Id", "1")
				.header("Micro-Method", "Greeter.Hello")
				.header("Micro-Service", MucpGreeterServer.SERVICE)
				.header("Timeout", "5000000000")
				.build();
			HttpRequest restRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/greeter/hello"))
				.POST(HttpRequest.BodyPublishers.ofByteArray(MUCP_BODY))
				.header("Accept", "application/json")
				.header("Content-Type", "application/json")
				.build();
			Map<String, Caller> callers = new LinkedHashMap<>();
			callers.put("micro4j", micro4j::hello);
			callers.put("raw-mucp", () -> {
				HttpResponse<byte[]> response = jdk.send(mucpRequest, HttpResponse.BodyHandlers.ofByteArray());
				String body = new String(response.body(), StandardCharsets.UTF_8);
				if (response.statusCode() != 200 || !body.contains("Hello John")) {
					throw new IllegalStateException(response.statusCode() + " " + body);
				}
			});
			callers.put("raw-rest", () -> {
				HttpResponse<byte[]> response = jdk.send(restRequest, HttpResponse.BodyHandlers.ofByteArray());
				String body = new String(response.body(), StandardCharsets.UTF_8);
				if (response.statusCode() != 200 || !body.contains("Hello John")) {
					throw new IllegalStateException(response.statusCode() + " " + body);
				}
			});
			callers.put("spring-rest", () -> greet(restClient));
			callers.put("spring-rest-simple", () -> greet(simpleRestClient));
			awaitCalls("mucp-greeter", mucp, callers.get("micro4j"));
			awaitCalls("rest-greeter", rest, callers.get("spring-rest"));
			Map<String, Load> loads = new LinkedHashMap<>();
			callers.forEach((name, caller) -> loads.put(name, (c, run, s) -> measure(c, name, run, caller, s)));
			if (goServer != null) {
				String ready = goServer.awaitLine(line -> line.startsWith("READY "), Duration.ofSeconds(90));
				System.out.println("go-micro peer server " + GO_SERVICE + ": " + ready);
				loads.put("go-micro>go", (c, run, s) -> peerRun(goMicro, etcd.address(), GO_SERVICE, "go-micro>go", c,
						run, s, peerWarmupSeconds));
				loads.put("go-micro>java", (c, run, s) -> peerRun(goMicro, etcd.address(), MucpGreeterServer.SERVICE,
						"go-micro>java", c, run, s, peerWarmupSeconds));
			}
			System.out.println("servers up: mucp on " + mucpPort + " (registered in etcd " + etcd.address()
					+ "), Spring MVC/Tomcat on " + restPort);
			List<Run> runs = new ArrayList<>();
			List<String> only = Arrays.asList(System.getProperty("bench.clients", String.join(",", loads.keySet()))
				.split(","));
			loads.keySet().retainAll(only);
			List<String> names = new ArrayList<>(loads.keySet());
			// JIT warm-up of both sides first, at a concurrency that makes many calls: at concurrency 1 a cold
			// Spring MVC/Tomcat server needs far longer than the per-point warm-up to reach compiled code (the
			// go-micro peer's clients warm up in each run of their own)
			for (String name : names) {
				if (callers.containsKey(name)) {
					Run warm = measure(16, name, 0, callers.get(name), jitWarmupSeconds);
					System.out.printf(Locale.ROOT, "warm-up %-12s %,d calls at c=16%n", name, warm.calls());
				}
			}
			for (int concurrency : concurrencies) {
				for (String name : names) {
					if (callers.containsKey(name)) {
						measure(concurrency, name, 0, callers.get(name), warmupSeconds);
					}
				}
				for (int run = 1; run <= repeats; run++) {
					for (int i = 0; i < names.size(); i++) {
						String name = names.get((i + run - 1) % names.size());
						Run result = loads.get(name).run(concurrency, run, seconds);
						runs.add(result);
						System.out.printf(Locale.ROOT,
								"c=%-3d %-12s run %d: %,9.0f calls/s  p50 %7.0f µs  p99 %7.0f µs  p99.9 %7.0f µs%s%n",
								concurrency, name, run, result.throughput(), result.p50Nanos() / 1e3,
								result.p99Nanos() / 1e3, result.p999Nanos() / 1e3,
								(result.errors() > 0) ? "  errors " + result.errors() : "");
					}
				}
			}
			write(out, runs, names, concurrencies);
		}
	}

	/** One greeting through {@code client} as a Spring application writes it. */
	private static void greet(RestClient client) {
		expect(client.post()
			.uri("/greeter/hello")
			.contentType(MediaType.APPLICATION_JSON)
			.body(new HelloRequest("John"))
			.retrieve()
			.body(HelloResponse.class));
	}

	private static void expect(HelloResponse response) {
		if (!"Hello John".equals(response.msg())) {
			throw new IllegalStateException("unexpected answer " + response);
		}
	}

	/**
	 * The go-micro peer binary {@value #GO_MICRO_ENV} names, or {@code null} when it is unset.
	 * @throws IllegalStateException when it is set but does not name an executable file
	 */
	private static @Nullable Path goMicroPeer() {
		String value = System.getenv(GO_MICRO_ENV);
		if (value == null || value.isBlank()) {
			return null;
		}
		Path peer = Path.of(value.trim()).toAbsolutePath();
		if (!Files.isRegularFile(peer) || !Files.isExecutable(peer)) {
			throw new IllegalStateException(GO_MICRO_ENV + "=" + value + " is not an executable file; build the "
					+ "go-micro peer (benchmarks/go-peer/README.md) and point " + GO_MICRO_ENV
					+ " at it, or unset it to skip baseline (c)");
		}
		return peer;
	}

	/**
	 * One run of the go-micro peer's client: a process calling {@code service} with {@code concurrency}
	 * goroutines for {@code warmupSeconds}, then for {@code seconds}, whose line of results becomes the run.
	 */
	private static Run peerRun(Path peer, String etcd, String service, String client, int concurrency, int run,
			double seconds, double warmupSeconds) throws Exception {
		try (Peer load = Peer.start("go-micro-client", true, peer, "client", "--etcd", etcd, "--service", service,
				"--concurrency", Integer.toString(concurrency), "--seconds", Double.toString(seconds), "--warmup",
				Double.toString(warmupSeconds))) {
			String line = load.awaitLine(l -> l.startsWith("{"),
					Duration.ofSeconds(60 + (long) Math.ceil(seconds + warmupSeconds)));
			int exit = load.awaitExit(Duration.ofSeconds(30));
			if (exit != 0) {
				throw new IllegalStateException(client + ": the peer client exited with " + exit + "\n" + load.tail());
			}
			return Run.fromJson(line, concurrency, client, run);
		}
	}

	/** Calls until a call succeeds (the server is up and, for mucp, its node is in the client's cache). */
	public static void awaitCalls(String name, Jvm jvm, Caller caller) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		Exception last = null;
		while (System.nanoTime() < deadline) {
			try {
				caller.call();
				return;
			}
			catch (Exception ex) {
				last = ex;
				Thread.sleep(50);
			}
		}
		throw new IllegalStateException(name + " never answered: " + last + "\n" + jvm.tail(), last);
	}

	/** {@code concurrency} threads calling back to back for {@code seconds}; latencies of calls that ended in time. */
	public static Run measure(int concurrency, String name, int run, Caller caller, double seconds)
			throws InterruptedException {
		long[][] latencies = new long[concurrency][];
		int[] counts = new int[concurrency];
		AtomicLong errors = new AtomicLong();
		CountDownLatch ready = new CountDownLatch(concurrency);
		CountDownLatch go = new CountDownLatch(1);
		long durationNanos = (long) (seconds * 1e9);
		long[] window = new long[1];
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < concurrency; t++) {
			int index = t;
			Thread thread = new Thread(() -> {
				long[] mine = new long[16_384];
				int count = 0;
				ready.countDown();
				try {
					go.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				long end = window[0] + durationNanos;
				long now = System.nanoTime();
				while (now < end) {
					long start = now;
					try {
						caller.call();
					}
					catch (Exception ex) {
						errors.incrementAndGet();
					}
					now = System.nanoTime();
					if (now <= end) {
						if (count == mine.length) {
							mine = Arrays.copyOf(mine, count * 2);
						}
						mine[count++] = now - start;
					}
				}
				latencies[index] = mine;
				counts[index] = count;
			}, "caller-" + t);
			threads.add(thread);
			thread.start();
		}
		ready.await();
		window[0] = System.nanoTime();
		go.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		int total = Arrays.stream(counts).sum();
		long[] all = new long[total];
		int at = 0;
		for (int t = 0; t < concurrency; t++) {
			System.arraycopy(latencies[t], 0, all, at, counts[t]);
			at += counts[t];
		}
		Arrays.sort(all);
		double mean = Arrays.stream(all).average().orElse(0);
		return new Run(concurrency, name, run, total - errors.get(), errors.get(), seconds,
				Stats.quantile(all, total, 0.50), Stats.quantile(all, total, 0.99), Stats.quantile(all, total, 0.999),
				mean);
	}

	private static void write(Path out, List<Run> runs, List<String> names, int[] concurrencies) throws IOException {
		write(out, "unary-rpc", names.contains("spring-rest") ? "spring-rest" : names.get(0), runs, names,
				concurrencies);
	}

	/**
	 * Writes {@code <prefix>-runs.csv} (every run) and {@code <prefix>.csv} (mean and spread per point, with each
	 * client's throughput as a ratio to {@code baseline}'s run by run) and prints the summary as a Markdown table.
	 */
	public static void write(Path out, String prefix, String baseline, List<Run> runs, List<String> names,
			int[] concurrencies) throws IOException {
		Files.createDirectories(out);
		Path runsCsv = out.resolve(prefix + "-runs.csv");
		try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(runsCsv))) {
			writer.println("concurrency,client,run,calls,errors,seconds,throughput,p50_us,p99_us,p999_us,mean_us");
			for (Run r : runs) {
				writer.printf(Locale.ROOT, "%d,%s,%d,%d,%d,%.2f,%.1f,%.1f,%.1f,%.1f,%.1f%n", r.concurrency(),
						r.client(), r.run(), r.calls(), r.errors(), r.seconds(), r.throughput(), r.p50Nanos() / 1e3,
						r.p99Nanos() / 1e3, r.p999Nanos() / 1e3, r.meanNanos() / 1e3);
			}
		}
		Path summaryCsv = out.resolve(prefix + ".csv");
		System.out.println();
		System.out.println("| c | client | calls/s mean ± sd (min–max) | p50 µs | p99 µs (min–max) | p99.9 µs | "
				+ "ratio to " + baseline + ", per run |");
		System.out.println("|---|---|---|---|---|---|---|");
		try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(summaryCsv))) {
			writer.println("concurrency,client,runs,throughput_mean,throughput_sd,throughput_min,throughput_max,"
					+ "p50_us_mean,p99_us_mean,p99_us_min,p99_us_max,p999_us_mean,ratio_mean,ratio_min,ratio_max,errors");
			for (int c : concurrencies) {
				List<Run> base = select(runs, c, baseline);
				for (String name : names) {
					List<Run> mine = select(runs, c, name);
					double[] tput = mine.stream().mapToDouble(Run::throughput).toArray();
					double[] ratios = new double[Math.min(mine.size(), base.size())];
					for (int i = 0; i < ratios.length; i++) {
						ratios[i] = mine.get(i).throughput() / base.get(i).throughput();
					}
					double[] p50 = mine.stream().mapToDouble(r -> r.p50Nanos() / 1e3).toArray();
					double[] p99 = mine.stream().mapToDouble(r -> r.p99Nanos() / 1e3).toArray();
					double[] p999 = mine.stream().mapToDouble(r -> r.p999Nanos() / 1e3).toArray();
					long errors = mine.stream().mapToLong(Run::errors).sum();
					writer.printf(Locale.ROOT, "%d,%s,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.3f,%.3f,%.3f,%d%n",
							c, name, mine.size(), Stats.mean(tput), Stats.stddev(tput), Stats.min(tput),
							Stats.max(tput), Stats.mean(p50), Stats.mean(p99), Stats.min(p99), Stats.max(p99),
							Stats.mean(p999), Stats.mean(ratios), Stats.min(ratios), Stats.max(ratios), errors);
					System.out.printf(Locale.ROOT,
							"| %d | %s | %,.0f ± %,.0f (%,.0f–%,.0f) | %.0f | %.0f (%.0f–%.0f) | %.0f | %.2f× (%s) |%n", c,
							name, Stats.mean(tput), Stats.stddev(tput), Stats.min(tput), Stats.max(tput),
							Stats.mean(p50), Stats.mean(p99), Stats.min(p99), Stats.max(p99), Stats.mean(p999),
							Stats.mean(ratios), Arrays.stream(ratios)
								.mapToObj(r -> String.format(Locale.ROOT, "%.2f", r))
								.collect(Collectors.joining(", ")));
				}
			}
		}
		System.out.println();
		System.out.println("runs written to " + runsCsv.toAbsolutePath() + ", summary to " + summaryCsv.toAbsolutePath());
	}

	private static List<Run> select(List<Run> runs, int concurrency, String client) {
		return runs.stream()
			.filter(r -> r.concurrency() == concurrency && r.client().equals(client))
			.sorted((a, b) -> Integer.compare(a.run(), b.run()))
			.collect(Collectors.toList());
	}

}
