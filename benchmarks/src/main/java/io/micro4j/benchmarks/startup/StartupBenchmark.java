package io.micro4j.benchmarks.startup;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.micro4j.benchmarks.support.Jvm;
import io.micro4j.benchmarks.support.Results;
import io.micro4j.benchmarks.support.Stats;

/**
 * Startup: milliseconds from launching a JVM to the first successful call, each app started {@code bench.repeats}
 * times (default 3), the apps interleaved.
 * <ul>
 * <li>{@code minimal-without-starter}: {@link MinimalWebApplication} (Spring MVC on Tomcat) with no micro4j jar on
 * the class path; first call {@code GET /ping};</li>
 * <li>{@code minimal-with-starter}: the same app with micro-spring-boot-starter (micro-core and the
 * auto-configuration; no plugin jars), which also starts a micro server on the memory registry; first call
 * {@code GET /ping};</li>
 * <li>{@code demo-app}: the demo greeter (actuator, tracing, the etcd and broker plugin jars on its class path,
 * memory registry); first call {@code GET /hello?name=John}, which goes through the micro client to its own mucp
 * server. Its class path comes from {@code demo-app/target/classpath.txt}, written by {@code benchmarks/run-all.sh};
 * skipped with a note when that file is missing.</li>
 * </ul>
 * Writes {@code startup-runs.csv} and {@code startup.csv}.
 */
public final class StartupBenchmark {

	private static final List<String> JVM_ARGS = List.of("-Xms256m", "-Xmx256m");

	private StartupBenchmark() {
	}

	record App(String name, List<String> classPath, String mainClass, String path, String serviceName) {
	}

	public static void main(String[] args) throws Exception {
		int repeats = Integer.parseInt(System.getProperty("bench.repeats", "3"));
		Path out = Results.directory();
		List<App> apps = new ArrayList<>();
		apps.add(new App("minimal-without-starter", Jvm.classPathWithoutMicro4j(),
				MinimalWebApplication.class.getName(), "/ping", "minimal"));
		List<String> withStarter = new ArrayList<>(Jvm.classPathWithoutMicro4j());
		for (String entry : Jvm.classPath()) {
			if (entry.contains("micro-core") || entry.contains("micro-spring-boot-")) {
				withStarter.add(entry);
			}
		}
		apps.add(new App("minimal-with-starter", withStarter, MinimalWebApplication.class.getName(), "/ping",
				"minimal"));
		Path demoClassPath = Path.of("demo-app", "target", "classpath.txt");
		if (Files.exists(demoClassPath)) {
			apps.add(new App("demo-app", Jvm.classPathFrom(demoClassPath, "demo-app/target/classes"),
					"io.micro4j.demo.GreeterApplication", "/hello?name=John", "greeter"));
		}
		else {
			System.out.println("demo-app skipped: " + demoClassPath + " is missing (benchmarks/run-all.sh writes it)");
		}
		Map<String, List<Double>> millis = new LinkedHashMap<>();
		for (int run = 0; run <= repeats; run++) {
			for (App app : apps) {
				int port = Jvm.freePort();
				long nanos;
				try (Jvm jvm = Jvm.start("startup-" + app.name(), JVM_ARGS, app.classPath(), app.mainClass(),
						"--server.port=" + port, "--micro.server.address=127.0.0.1:0",
						"--spring.application.name=" + app.serviceName())) {
					nanos = jvm.awaitGet("http://127.0.0.1:" + port + app.path(), Duration.ofSeconds(60));
				}
				if (run == 0) {
					continue; // warms the OS file cache and the CDS archive mapping
				}
				millis.computeIfAbsent(app.name(), n -> new ArrayList<>()).add(nanos / 1e6);
				System.out.printf(Locale.ROOT, "%-24s run %d: first successful call after %,.0f ms%n", app.name(), run,
						nanos / 1e6);
			}
		}
		Files.createDirectories(out);
		try (PrintWriter runs = new PrintWriter(Files.newBufferedWriter(out.resolve("startup-runs.csv")));
				PrintWriter summary = new PrintWriter(Files.newBufferedWriter(out.resolve("startup.csv")))) {
			runs.println("app,run,first_call_ms");
			summary.println("app,runs,first_call_ms_mean,first_call_ms_sd,first_call_ms_min,first_call_ms_max");
			for (Map.Entry<String, List<Double>> entry : millis.entrySet()) {
				double[] values = entry.getValue().stream().mapToDouble(Double::doubleValue).toArray();
				for (int i = 0; i < values.length; i++) {
					runs.printf(Locale.ROOT, "%s,%d,%.0f%n", entry.getKey(), i + 1, values[i]);
				}
				summary.printf(Locale.ROOT, "%s,%d,%.0f,%.0f,%.0f,%.0f%n", entry.getKey(), values.length,
						Stats.mean(values), Stats.stddev(values), Stats.min(values), Stats.max(values));
				System.out.printf(Locale.ROOT, "%-24s mean %,.0f ms ± %,.0f (min %,.0f, max %,.0f)%n", entry.getKey(),
						Stats.mean(values), Stats.stddev(values), Stats.min(values), Stats.max(values));
			}
		}
		double[] with = millis.get("minimal-with-starter").stream().mapToDouble(Double::doubleValue).toArray();
		double[] without = millis.get("minimal-without-starter").stream().mapToDouble(Double::doubleValue).toArray();
		System.out.printf(Locale.ROOT, "the starter adds %,.0f ms to the minimal app's time to first call%n",
				Stats.mean(with) - Stats.mean(without));
	}

}
