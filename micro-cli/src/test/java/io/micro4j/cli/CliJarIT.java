package io.micro4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micro4j.cli.Cli.Run;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.test.etcd.EtcdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged {@code micro-cli/target/micro4j-cli.jar} run with {@code java -jar} as its own process (issue #14,
 * acceptance 3). Runs after {@code package}, in the {@code integration-test} phase ({@code ./mvnw -pl micro-cli -am
 * verify}), which passes the jar's path as {@code micro4j.cli.jar}.
 */
@Timeout(180)
class CliJarIT {

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static Greeters greeters;

	@BeforeAll
	static void startServices() throws IOException {
		greeters = Greeters.start(etcd);
	}

	@AfterAll
	static void stopServices() {
		greeters.close();
	}

	@Test
	void callPrintsTheAnswerOfTheJavaAndTheGoMicroService() throws Exception {
		for (String service : List.of("greeter", Greeters.JAVA)) {
			Run run = java(Map.of(), "--registry", "etcd", "--registry_address", etcd.address(), "call", service,
					"Greeter.Hello", "{\"name\":\"John\"}");
			assertThat(run.code()).as(run.toString()).isZero();
			assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree("{\"msg\":\"Hello John\"}"));
			assertThat(run.err()).isEmpty();
		}
	}

	@Test
	void servicesListsBothAndSaysHowLongItTook() throws Exception {
		Run run = null;
		List<Long> millis = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			long start = System.nanoTime();
			run = java(Map.of(), "--registry", "etcd", "--registry_address", etcd.address(), "services");
			millis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
		}
		assertThat(run.code()).as(run.toString()).isZero();
		assertThat(run.lines()).anySatisfy(line -> assertThat(line).matches("greeter\\s+latest\\s+1\\s+mucp"))
			.anySatisfy(line -> assertThat(line).matches("java-greeter\\s+latest\\s+1\\s+mucp"));
		// reported, not asserted: the start-up cost of one command (docs/cli.md)
		System.out.println("java -jar micro4j-cli.jar services took " + millis + " ms");
	}

	@Test
	void theEnvironmentOfTheProcessNamesTheRegistry() throws Exception {
		Run run = java(Map.of("MICRO_REGISTRY", "etcd", "MICRO_REGISTRY_ADDRESS", etcd.address()), "describe",
				"greeter", "--output", "json");
		assertThat(run.code()).as(run.toString()).isZero();
		assertThat(JSON.readTree(run.out()).get(0)).isEqualTo(JSON.readTree(greeters.goGreeter.record()));
	}

	@Test
	void anUnreachableRegistryIsOneLineWithoutAStackTrace() throws Exception {
		Run run = java(Map.of(), "--registry_address", "127.0.0.1:1", "--timeout", "2s", "services");
		assertThat(run.code()).as(run.toString()).isEqualTo(MicroCli.REGISTRY_UNREACHABLE);
		assertThat(run.err()).startsWith("micro: registry etcd at 127.0.0.1:1 is unreachable: ").hasLineCount(1);
		assertThat(run.out()).isEmpty();
	}

	@Test
	void watchRunsUntilInterrupted() throws Exception {
		Launched watch = start(Map.of(), "--registry_address", etcd.address(), "watch");
		Process process = watch.process();
		Path out = watch.out();
		try {
			// the watch may start after the first registration: register again until it prints
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
				greeters.registry.register(Service.of("jar-watched", "latest",
						List.of(Node.of("jar-watched-1", "127.0.0.1:3")
							.withMetadata("t", String.valueOf(System.nanoTime())))), Duration.ofMinutes(1));
				return Files.readString(out).contains("jar-watched-1");
			});
			new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
			assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).isEqualTo(130);
			assertThat(Files.readString(out)).containsPattern("(create|update)  jar-watched  latest  jar-watched-1  "
					+ "127\\.0\\.0\\.1:3");
		}
		finally {
			process.destroyForcibly();
		}
	}

	/** Runs the jar to its end (at most a minute). */
	private static Run java(Map<String, String> environment, String... args) throws Exception {
		Launched launched = start(environment, args);
		if (!launched.process().waitFor(60, TimeUnit.SECONDS)) {
			launched.process().destroyForcibly();
			throw new AssertionError("java -jar " + String.join(" ", args) + " did not end within 60 s");
		}
		return new Run(launched.process().exitValue(), Files.readString(launched.out()),
				Files.readString(launched.err()));
	}

	/** Starts {@code java -jar <the CLI jar> args}, its output going to files, without the MICRO_* variables. */
	private static Launched start(Map<String, String> environment, String... args) throws IOException {
		String jar = System.getProperty("micro4j.cli.jar");
		if (jar == null || !Files.isRegularFile(Paths.get(jar))) {
			throw new AssertionError("the CLI jar (" + jar + ") is missing: run ./mvnw -pl micro-cli -am verify, "
					+ "which packages it before this test");
		}
		List<String> command = new ArrayList<>(
				List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
		command.addAll(List.of(args));
		Path out = Files.createTempFile("micro-cli-", ".out");
		Path err = Files.createTempFile("micro-cli-", ".err");
		out.toFile().deleteOnExit();
		err.toFile().deleteOnExit();
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
		builder.environment().keySet().removeIf(key -> key.startsWith("MICRO_"));
		builder.environment().putAll(environment);
		return new Launched(builder.start(), out, err);
	}

	/** A started CLI process and the files of its standard output and error. */
	private record Launched(Process process, Path out, Path err) {
	}

}
