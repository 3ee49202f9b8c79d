package io.micro4j.test.etcd;

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
import java.util.ArrayList;
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
 * A real etcd server for tests, started from the {@code etcd} binary on random free loopback ports with a data
 * directory of its own.
 * <p>
 * As a JUnit 5 extension, register it with {@code @RegisterExtension}: a {@code static} field starts one server
 * for the test class, an instance field one per test. It stops the server and deletes its directory afterwards.
 * Outside JUnit (benchmarks), call {@link #start()} and {@link #close()}.
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final EtcdServer etcd = new EtcdServer();
 * </pre>
 *
 * Fault tests {@link #kill()} it with SIGKILL and {@link #restart()} it with the same data and ports, or
 * {@link #restartEmpty()} it as if its data were lost. A missing {@code etcd} binary fails with the command that
 * installs it ({@value #INSTALL_HINT}); it never skips a test.
 */
public final class EtcdServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
		AutoCloseable {

	/** How to install the etcd server on Debian and Ubuntu. */
	public static final String INSTALL_HINT = "apt-get install etcd-server";

	/** How to install etcdctl on Debian and Ubuntu. */
	public static final String ETCDCTL_INSTALL_HINT = "apt-get install etcd-client";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private static final Duration ETCDCTL_TIMEOUT = Duration.ofSeconds(20);

	private static final List<String> SEARCH_PATH = List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private @Nullable Path dataDir;

	private int clientPort;

	private int peerPort;

	private @Nullable Process process;

	private boolean startedPerTest;

	/** A server that is not started yet. */
	public EtcdServer() {
	}

	/**
	 * Starts the server on new random ports with an empty data directory and waits until it reports healthy;
	 * does nothing if it is running.
	 * @return this server
	 * @throws IllegalStateException if the binary is missing (with the install hint) or etcd did not become healthy
	 */
	public synchronized EtcdServer start() {
		if (this.process != null) {
			return this;
		}
		Path etcd = binary("etcd", INSTALL_HINT);
		IllegalStateException last = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			try {
				this.dataDir = Files.createTempDirectory("micro-etcd-");
				this.clientPort = freePort();
				this.peerPort = freePort();
				launch(etcd);
				return this;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (IllegalStateException ex) {
				// most likely a port taken between choosing and binding it: try other ports
				last = ex;
				stopProcess();
				deleteDataDir();
			}
		}
		throw last;
	}

	/** The client URL, {@code http://127.0.0.1:<port>}. */
	public String endpoint() {
		return "http://" + address();
	}

	/** The client URLs (one: this is a single-member cluster). */
	public List<String> endpoints() {
		return List.of(endpoint());
	}

	/** The client address as {@code host:port}, the form of {@code micro.registry.address}. */
	public String address() {
		requireStarted();
		return "127.0.0.1:" + this.clientPort;
	}

	/** Whether the etcd process is running. */
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/** Kills the process with SIGKILL (no clean shutdown) and waits for it to exit; the data stays. */
	public synchronized void kill() {
		requireStarted();
		stopProcess();
	}

	/**
	 * Starts the server again on the same ports with the same data directory (after {@link #kill()}, or killing
	 * it first if it runs), and waits until it is healthy.
	 */
	public synchronized void restart() {
		requireStarted();
		stopProcess();
		launch(binary("etcd", INSTALL_HINT));
	}

	/** Kills the server, deletes its data, and starts it again empty on the same ports: etcd losing its data. */
	public synchronized void restartEmpty() {
		requireStarted();
		stopProcess();
		deleteDataDir();
		try {
			Files.createDirectories(this.dataDir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		launch(binary("etcd", INSTALL_HINT));
	}

	/**
	 * Runs {@code etcdctl} (API v3) against this server and returns its standard output.
	 * @throws IllegalStateException if etcdctl is missing (with the install hint), fails, or takes more than 20 s
	 */
	public String etcdctl(String... args) {
		Path etcdctl = binary("etcdctl", ETCDCTL_INSTALL_HINT);
		List<String> command = new ArrayList<>();
		command.add(etcdctl.toString());
		command.add("--endpoints=" + endpoint());
		command.add("--dial-timeout=2s");
		command.add("--command-timeout=5s");
		command.addAll(List.of(args));
		try {
			Path out = Files.createTempFile("etcdctl-", ".out");
			Path err = Files.createTempFile("etcdctl-", ".err");
			try {
				ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
					.redirectError(err.toFile())
					.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
				builder.environment().put("ETCDCTL_API", "3");
				Process run = builder.start();
				if (!run.waitFor(ETCDCTL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
					run.destroyForcibly();
					throw new IllegalStateException("etcdctl " + String.join(" ", args) + " timed out");
				}
				String stdout = Files.readString(out, StandardCharsets.UTF_8);
				if (run.exitValue() != 0) {
					throw new IllegalStateException("etcdctl " + String.join(" ", args) + " failed (exit "
							+ run.exitValue() + "): " + Files.readString(err, StandardCharsets.UTF_8).trim());
				}
				return stdout;
			}
			finally {
				Files.deleteIfExists(out);
				Files.deleteIfExists(err);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while running etcdctl", ex);
		}
	}

	/** Kills the server and deletes its data directory; idempotent. */
	@Override
	public synchronized void close() {
		stopProcess();
		deleteDataDir();
		this.dataDir = null;
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
		if (this.dataDir == null) {
			start();
			this.startedPerTest = true;
		}
		else if (!isRunning()) {
			// a test of this class killed the shared server and did not restart it
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

	private void launch(Path etcd) {
		String client = "http://127.0.0.1:" + this.clientPort;
		String peer = "http://127.0.0.1:" + this.peerPort;
		Path log = this.dataDir.resolveSibling(this.dataDir.getFileName() + ".log");
		List<String> command = List.of(etcd.toString(), "--name", "micro-test", "--data-dir",
				this.dataDir.toString(), "--listen-client-urls", client, "--advertise-client-urls", client,
				"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster",
				"micro-test=" + peer, "--initial-cluster-state", "new", "--logger", "zap", "--log-level", "warn");
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
				throw new IllegalStateException("etcd exited with " + this.process.exitValue() + " on start: "
						+ tail(log));
			}
			if (healthy()) {
				return;
			}
			pause(50);
		}
		throw new IllegalStateException("etcd did not become healthy in " + START_TIMEOUT + ": " + tail(log));
	}

	private boolean healthy() {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create(endpoint() + "/health")).timeout(Duration.ofSeconds(1)).build(),
					HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for etcd", ex);
		}
	}

	private void stopProcess() {
		Process running = this.process;
		this.process = null;
		if (running == null) {
			return;
		}
		running.destroyForcibly();
		try {
			if (!running.waitFor(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("etcd (pid " + running.pid() + ") did not exit after SIGKILL");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void deleteDataDir() {
		Path dir = this.dataDir;
		if (dir == null) {
			return;
		}
		try {
			Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".log"));
			if (Files.exists(dir)) {
				try (Stream<Path> paths = Files.walk(dir)) {
					for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
						Files.deleteIfExists(path);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not delete etcd data directory " + dir, ex);
		}
	}

	private void requireStarted() {
		if (this.dataDir == null) {
			throw new IllegalStateException("etcd server is not started");
		}
	}

	/** The path of {@code name}, found on the PATH or in the usual directories. */
	static Path binary(String name, String installHint) {
		return find(name).orElseThrow(() -> new IllegalStateException(name + " was not found on the PATH: install "
				+ "it with `" + installHint + "` (or run scripts/install-test-tools)"));
	}

	private static Optional<Path> find(String name) {
		List<String> dirs = new ArrayList<>();
		String path = System.getenv("PATH");
		if (path != null) {
			dirs.addAll(List.of(path.split(File.pathSeparator)));
		}
		dirs.addAll(SEARCH_PATH);
		return dirs.stream()
			.filter(dir -> !dir.isEmpty())
			.map(dir -> Paths.get(dir, name))
			.filter(Files::isExecutable)
			.findFirst();
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
			throw new IllegalStateException("interrupted while waiting for etcd", ex);
		}
	}

}
