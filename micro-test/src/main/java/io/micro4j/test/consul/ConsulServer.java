package io.micro4j.test.consul;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Consul agent for tests: {@code consul agent -dev} bound to 127.0.0.1, every port moved to a free one
 * through a config file, ready when {@code /v1/status/leader} names a leader, stopped with SIGINT.
 * <p>
 * As a JUnit 5 extension, register it with {@code @RegisterExtension}: a {@code static} field starts one agent for
 * the test class, an instance field one per test. Outside JUnit (benchmarks), call {@link #start()} and
 * {@link #close()}. {@link #restart()} stops it and starts it again on the same ports; a dev agent keeps nothing, so
 * it comes back empty, like an agent restarted in production loses its local services.
 * <p>
 * The binary is {@code consul} on the PATH or {@value #TOOLS_BINARY} under the project root (the first directory
 * upwards from the working directory that holds {@code scripts/install-test-tools}). A missing binary fails with
 * the hint {@value #INSTALL_HINT}; it never skips a test.
 */
public final class ConsulServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
		AfterEachCallback, AutoCloseable {

	/** How to get the Consul binary. */
	public static final String INSTALL_HINT = "scripts/install-test-tools";

	/** Where {@value #INSTALL_HINT} puts the binary, relative to the project root. */
	public static final String TOOLS_BINARY = ".tools/consul/usr/bin/consul";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private @Nullable Path dir;

	private int httpPort;

	private @Nullable Process process;

	private boolean startedPerTest;

	/** An agent that is not started yet. */
	public ConsulServer() {
	}

	/**
	 * Starts the agent on new free ports and waits until it has a leader; does nothing if it is running.
	 * @return this agent
	 * @throws IllegalStateException if the binary is missing (with the install hint) or the agent did not start
	 */
	public synchronized ConsulServer start() {
		if (this.process != null) {
			return this;
		}
		Path consul = binary();
		IllegalStateException last = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			try {
				this.dir = Files.createTempDirectory("micro-consul-");
				writeConfig();
				launch(consul);
				return this;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (IllegalStateException ex) {
				// most likely a port taken between choosing and binding it: try other ports
				last = ex;
				stopProcess();
				deleteDir();
			}
		}
		throw last;
	}

	/** The HTTP address as {@code host:port}, the form of {@code micro.registry.address}. */
	public String address() {
		requireStarted();
		return "127.0.0.1:" + this.httpPort;
	}

	/** The HTTP API's URL, {@code http://127.0.0.1:<port>}. */
	public String url() {
		return "http://" + address();
	}

	/** Whether the agent process is running. */
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/** Stops the agent with SIGINT and waits for it to exit. */
	public synchronized void stop() {
		requireStarted();
		stopProcess();
	}

	/** Stops the agent (if it runs) and starts it again on the same ports, empty, waiting until it has a leader. */
	public synchronized void restart() {
		requireStarted();
		stopProcess();
		launch(binary());
	}

	/**
	 * Sends {@code method path} with {@code body} (JSON, or {@code null}) to the HTTP API.
	 * @return the response body
	 * @throws IllegalStateException if the agent answers with a status other than 2xx
	 */
	public String call(String method, String path, @Nullable String body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody())
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
						+ response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/** Stops the agent and deletes its directory; idempotent. */
	@Override
	public synchronized void close() {
		stopProcess();
		deleteDir();
		this.dir = null;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	@Override
	public synchronized void beforeEach(ExtensionContext context) {
		if (this.dir == null) {
			start();
			this.startedPerTest = true;
		}
		else if (!isRunning()) {
			// a test of this class stopped the shared agent and did not restart it
			restart();
		}
	}

	@Override
	public synchronized void afterEach(ExtensionContext context) {
		if (this.startedPerTest) {
			this.startedPerTest = false;
			close();
		}
	}

	private void writeConfig() throws IOException {
		this.httpPort = freePort();
		String config = "{\n" + "  \"node_name\": \"micro-test\",\n" + "  \"disable_update_check\": true,\n"
				+ "  \"log_level\": \"warn\",\n" + "  \"ports\": {\n" + "    \"http\": " + this.httpPort + ",\n"
				+ "    \"https\": -1,\n" + "    \"dns\": " + freePort() + ",\n" + "    \"grpc\": " + freePort()
				+ ",\n" + "    \"serf_lan\": " + freePort() + ",\n" + "    \"serf_wan\": " + freePort() + ",\n"
				+ "    \"server\": " + freePort() + "\n" + "  }\n" + "}\n";
		Files.writeString(this.dir.resolve("agent.json"), config, StandardCharsets.UTF_8);
	}

	private void launch(Path consul) {
		Path log = this.dir.resolve("agent.log");
		List<String> command = List.of(consul.toString(), "agent", "-dev", "-bind=127.0.0.1", "-client=127.0.0.1",
				"-config-file=" + this.dir.resolve("agent.json"));
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("consul exited with " + this.process.exitValue() + " on start: "
						+ tail(log));
			}
			if (hasLeader()) {
				return;
			}
			pause(50);
		}
		throw new IllegalStateException("consul had no leader after " + START_TIMEOUT + ": " + tail(log));
	}

	private boolean hasLeader() {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create(url() + "/v1/status/leader"))
						.timeout(Duration.ofSeconds(1))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 && response.body().trim().matches("\"[^\"]+\"");
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for consul", ex);
		}
	}

	private void stopProcess() {
		Process running = this.process;
		this.process = null;
		if (running == null || !running.isAlive()) {
			return;
		}
		try {
			Process kill = new ProcessBuilder("kill", "-INT", Long.toString(running.pid())).start();
			kill.waitFor(5, TimeUnit.SECONDS);
			if (!running.waitFor(10, TimeUnit.SECONDS)) {
				running.destroyForcibly();
				running.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (IOException ex) {
			running.destroyForcibly();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void deleteDir() {
		Path path = this.dir;
		if (path == null || !Files.exists(path)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(path)) {
			for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not delete " + path, ex);
		}
	}

	private void requireStarted() {
		if (this.dir == null) {
			throw new IllegalStateException("consul agent is not started");
		}
	}

	/** The consul binary: on the PATH, else under the project root's {@value #TOOLS_BINARY}. */
	static Path binary() {
		return find().orElseThrow(() -> new IllegalStateException("consul was not found on the PATH nor in "
				+ TOOLS_BINARY + " of the project: run `" + INSTALL_HINT + "` (it fetches Debian 11's consul)"));
	}

	private static Optional<Path> find() {
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
				if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, "consul"))) {
					return Optional.of(Paths.get(dir, "consul"));
				}
			}
		}
		Path dir = Paths.get("").toAbsolutePath();
		while (dir != null) {
			Path candidate = dir.resolve(TOOLS_BINARY);
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
			if (Files.exists(dir.resolve("scripts/install-test-tools"))) {
				return Optional.empty();
			}
			dir = dir.getParent();
		}
		return Optional.empty();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for consul", ex);
		}
	}

}
