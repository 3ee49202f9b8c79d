package io.micro4j.benchmarks.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Launches the servers of a benchmark in JVMs of their own, with the class path of the driver or a part of it, and
 * waits for them to answer.
 * <p>
 * A child's standard output and error go to {@code benchmarks/target/logs/<name>.log}. {@link #close()} destroys
 * the child and waits for it.
 */
public final class Jvm extends ChildProcess {

	private Jvm(String name, ProcessBuilder builder) throws IOException {
		super(name, builder);
	}

	/** The driver's class path entries. */
	public static List<String> classPath() {
		return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
	}

	/**
	 * The driver's class path without micro4j: every entry under the project directory except the benchmarks'
	 * own classes (the reactor modules: micro-core, the starter, its auto-configuration, the plugins).
	 */
	public static List<String> classPathWithoutMicro4j() {
		Path project = Path.of("").toAbsolutePath();
		Path own = project.resolve("benchmarks");
		return classPath().stream().filter(entry -> {
			Path path = Path.of(entry).toAbsolutePath();
			return !path.startsWith(project) || path.startsWith(own);
		}).collect(Collectors.toList());
	}

	/** A class path read from a file written by {@code dependency:build-classpath}, plus {@code extra} entries. */
	public static List<String> classPathFrom(Path file, String... extra) throws IOException {
		List<String> entries = new ArrayList<>(Arrays.asList(extra));
		entries.addAll(Arrays.asList(Files.readString(file).trim().split(File.pathSeparator)));
		return entries;
	}

	/** A free TCP port on the loopback interface (free when asked; the child binds it soon after). */
	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Starts {@code mainClass} in a new JVM.
	 * @param name the child's name, for its log file
	 * @param jvmArgs options before the class path
	 * @param classPath the class path entries
	 * @param mainClass the class to run
	 * @param args the program arguments
	 * @return the running child
	 */
	public static Jvm start(String name, List<String> jvmArgs, List<String> classPath, String mainClass,
			String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		jvmArgs.forEach(arg -> command.add(arg.replace("{name}", name)));
		command.add("-cp");
		command.add(String.join(File.pathSeparator, classPath));
		command.add(mainClass);
		command.addAll(Arrays.asList(args));
		return new Jvm(name,
				new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile()));
	}

	/**
	 * Server JVM options from the system property {@code bench.serverJvmArgs} (space separated), if set; {@code {name}}
	 * in an option becomes the child's name (e.g. {@code -XX:StartFlightRecording=filename=/tmp/{name}.jfr}).
	 */
	public static List<String> extraServerArgs() {
		String value = System.getProperty("bench.serverJvmArgs", "").trim();
		return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
	}

	/**
	 * Polls {@code request} every 5 ms until the answer satisfies {@code ok}.
	 * @return nanoseconds from the launch of this JVM to the first satisfying answer
	 * @throws IllegalStateException when the child exits or {@code limit} passes first
	 */
	public long awaitAnswer(HttpClient client, HttpRequest request, Predicate<HttpResponse<String>> ok,
			Duration limit) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		while (System.nanoTime() < deadline) {
			checkAlive();
			try {
				HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
				if (ok.test(response)) {
					return System.nanoTime() - this.startNanos;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(5);
		}
		throw failure("did not answer within " + limit);
	}

	/** A request that polls until the child answers {@code GET uri} with 200. */
	public long awaitGet(String uri, Duration limit) throws InterruptedException {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(1))
			.build();
		HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).GET().build();
		return awaitAnswer(client, request, response -> response.statusCode() == 200, limit);
	}

}
