package io.micro4j.test.rabbitmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.micro4j.test.support.ServerProcess;
import io.micro4j.test.tls.TestCertificates;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real, isolated RabbitMQ node for tests, started from the {@code rabbitmq-server} binary of Debian's package.
 * <p>
 * Register it once per test class, as a static field, so the node (about 3 to 5 s to start) serves every test of
 * the class:
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final RabbitMqServer rabbit = new RabbitMqServer();
 *
 * RabbitBroker broker = RabbitBroker.builder(rabbit.amqpUri()).build();
 * </pre>
 *
 * The node gets its own node name, loopback-only random ports (AMQP, Erlang distribution and its own epmd), and
 * its own temporary directories for data, logs and the Erlang cookie ({@code HOME}), so it neither sees nor
 * disturbs any other node on the machine. It is ready when {@code rabbitmqctl wait} says so. {@link #close()} (or
 * the end of the test class) stops it with SIGTERM, kills the epmd it started and deletes the directories.
 * {@link #kill()} and {@link #start()} let fault tests crash and restart the node; data of durable queues survives
 * a restart.
 * <p>
 * {@link #withTls} adds a TLS listener on another port ({@code listeners.ssl.default} and {@code ssl_options.*} in
 * a {@code rabbitmq.conf}), verifying client certificates that are sent and, optionally, refusing clients without
 * one ({@code fail_if_no_peer_cert}); the plaintext listener stays.
 * <p>
 * A missing binary is a failure with the install command ({@code apt-get install rabbitmq-server}), never a skip.
 * The binary directory can be moved with the system property {@value #BIN_DIR_PROPERTY}.
 */
public final class RabbitMqServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	/** The system property naming the directory holding {@code rabbitmq-server} and {@code rabbitmqctl}. */
	public static final String BIN_DIR_PROPERTY = "micro4j.rabbitmq.bin";

	/** Where Debian's package installs the scripts that run a node directly (not the {@code /usr/sbin} wrappers). */
	public static final String DEFAULT_BIN_DIR = "/usr/lib/rabbitmq/bin";

	/** How long the node may take to start. */
	public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	/** How long the node may take to stop after SIGTERM before it is killed. */
	public static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

	private final Path binDir;

	private final @Nullable Tls tls;

	private @Nullable Path baseDir;

	private @Nullable String nodeName;

	private int amqpPort;

	private int amqpsPort;

	private int distPort;

	private int epmdPort;

	private @Nullable Process process;

	/** A node from the binaries in {@value #DEFAULT_BIN_DIR} (or the directory of {@value #BIN_DIR_PROPERTY}). */
	public RabbitMqServer() {
		this(Paths.get(System.getProperty(BIN_DIR_PROPERTY, DEFAULT_BIN_DIR)));
	}

	/** A node from the {@code rabbitmq-server} and {@code rabbitmqctl} scripts in {@code binDir}. */
	public RabbitMqServer(Path binDir) {
		this(binDir, null);
	}

	private RabbitMqServer(Path binDir, @Nullable Tls tls) {
		this.binDir = java.util.Objects.requireNonNull(binDir, "binDir");
		this.tls = tls;
	}

	/**
	 * A node with a TLS listener besides the plaintext one ({@link #amqpsUri()}), presenting {@code certificate}
	 * (PEM chain and PKCS#8 key), trusting {@code ca} for client certificates, and refusing clients without one when
	 * {@code requireClientCertificate} ({@code ssl_options.fail_if_no_peer_cert}).
	 */
	public static RabbitMqServer withTls(TestCertificates.Identity certificate, TestCertificates.Identity ca,
			boolean requireClientCertificate) {
		return new RabbitMqServer(Paths.get(System.getProperty(BIN_DIR_PROPERTY, DEFAULT_BIN_DIR)),
				new Tls(certificate, ca, requireClientCertificate));
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	/**
	 * Starts the node and waits until it accepts AMQP connections. The first start picks the ports and
	 * directories; a start after {@link #stop()} or {@link #kill()} reuses them, so durable data survives.
	 * Does nothing if the node is running.
	 * @throws IllegalStateException if the binary is missing (with the install hint) or the node does not start
	 */
	public synchronized void start() {
		if (this.process != null && this.process.isAlive()) {
			return;
		}
		Path server = this.binDir.resolve("rabbitmq-server");
		Path ctl = this.binDir.resolve("rabbitmqctl");
		if (!Files.isExecutable(server) || !Files.isExecutable(ctl)) {
			throw new IllegalStateException("rabbitmq-server is not installed (no executable " + server
					+ "): install it with 'apt-get install rabbitmq-server' (or run scripts/install-test-tools)");
		}
		try {
			if (this.baseDir == null) {
				this.baseDir = Files.createTempDirectory("micro4j-rabbitmq-");
				for (String dir : List.of("home", "mnesia", "log")) {
					Files.createDirectories(this.baseDir.resolve(dir));
				}
				this.nodeName = "micro4j-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
				int[] ports = ServerProcess.freePorts(4);
				this.amqpPort = ports[0];
				this.distPort = ports[1];
				this.epmdPort = ports[2];
				this.amqpsPort = ports[3];
				if (this.tls != null) {
					Files.writeString(this.baseDir.resolve("rabbitmq.conf"), this.tls.config(this.amqpsPort),
							StandardCharsets.UTF_8);
				}
			}
			Files.deleteIfExists(pidFile());
			ProcessBuilder builder = new ProcessBuilder(server.toString());
			environment(builder.environment());
			this.process = ServerProcess.start(builder, baseDir().resolve("server.out"));
			awaitReady(ctl);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start rabbitmq-server", ex);
		}
	}

	/** Stops the node with SIGTERM (SIGKILL after {@link #STOP_TIMEOUT}); keeps its data for {@link #start()}. */
	public synchronized void stop() {
		Process running = this.process;
		if (running == null) {
			return;
		}
		this.process = null;
		running.destroy();
		try {
			if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				killNodeProcesses(running);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			killNodeProcesses(running);
		}
		// the Erlang VM may outlive the script when the script was killed
		beamPid().flatMap(ProcessHandle::of).ifPresent(this::awaitExit);
	}

	/** Crashes the node: SIGKILL to the Erlang VM and the script that started it. {@link #start()} restarts it. */
	public synchronized void kill() {
		Process running = this.process;
		if (running == null) {
			return;
		}
		this.process = null;
		killNodeProcesses(running);
	}

	/** Stops the node, kills its epmd and deletes its directories. Idempotent. */
	@Override
	public synchronized void close() {
		stop();
		killEpmd();
		Path dir = this.baseDir;
		this.baseDir = null;
		if (dir != null) {
			ServerProcess.deleteQuietly(dir);
		}
	}

	/** Whether the node's process is running. */
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/** The AMQP URI of the node, {@code amqp://guest:guest@127.0.0.1:<port>} (guest may log in over loopback). */
	public String amqpUri() {
		return "amqp://guest:guest@127.0.0.1:" + port();
	}

	/**
	 * The AMQP over TLS URI of a node made {@link #withTls}, {@code amqps://guest:guest@127.0.0.1:<port>}.
	 * @throws IllegalStateException when the node has no TLS listener
	 */
	public String amqpsUri() {
		return "amqps://guest:guest@127.0.0.1:" + tlsPort();
	}

	/**
	 * The node's AMQP over TLS port on 127.0.0.1.
	 * @throws IllegalStateException when the node has no TLS listener
	 */
	public synchronized int tlsPort() {
		requireStarted();
		if (this.tls == null) {
			throw new IllegalStateException("the RabbitMQ node has no TLS listener (make it with withTls)");
		}
		return this.amqpsPort;
	}

	/** The node's AMQP port on 127.0.0.1. */
	public synchronized int port() {
		requireStarted();
		return this.amqpPort;
	}

	/** The node's own epmd port on 127.0.0.1. */
	public synchronized int epmdPort() {
		requireStarted();
		return this.epmdPort;
	}

	/** The node name, {@code micro4j-<random>@localhost}. */
	public synchronized String nodeName() {
		requireStarted();
		return java.util.Objects.requireNonNull(this.nodeName);
	}

	/**
	 * Runs {@code rabbitmqctl -n <node> <arguments>} against this node and returns its standard output, e.g.
	 * {@code ctl("list_queues", "name", "messages")}.
	 * @throws IllegalStateException if the command fails or takes longer than 30 s
	 */
	public String ctl(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(this.binDir.resolve("rabbitmqctl").toString());
		command.add("-n");
		command.add(nodeName());
		command.addAll(List.of(arguments));
		return run(command, Duration.ofSeconds(30));
	}

	private void awaitReady(Path ctl) {
		long timeoutSeconds = START_TIMEOUT.toSeconds();
		try {
			run(List.of(ctl.toString(), "-n", nodeName(), "wait", pidFile().toString(), "-t",
					Long.toString(timeoutSeconds)), START_TIMEOUT.plusSeconds(5));
		}
		catch (IllegalStateException ex) {
			String log = ServerProcess.tail(baseDir().resolve("server.out"), 40, "no output");
			kill();
			throw new IllegalStateException(ex.getMessage() + "\nrabbitmq-server output:\n" + log, ex);
		}
	}

	private String run(List<String> command, Duration timeout) {
		ProcessBuilder builder = new ProcessBuilder(command);
		environment(builder.environment());
		builder.redirectErrorStream(true);
		try {
			Path output = Files.createTempFile(baseDir(), "ctl-", ".out");
			builder.redirectOutput(output.toFile());
			Process ctl = builder.start();
			boolean finished = ctl.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
			String text = Files.readString(output, StandardCharsets.UTF_8);
			Files.deleteIfExists(output);
			if (!finished) {
				ctl.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
						+ ":\n" + text);
			}
			if (ctl.exitValue() != 0) {
				throw new IllegalStateException(
						String.join(" ", command) + " failed with exit code " + ctl.exitValue() + ":\n" + text);
			}
			return text;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while running " + command, ex);
		}
	}

	private void environment(Map<String, String> env) {
		Path base = baseDir();
		env.put("HOME", base.resolve("home").toString());
		env.put("RABBITMQ_NODENAME", nodeName());
		env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
		env.put("RABBITMQ_NODE_PORT", Integer.toString(this.amqpPort));
		env.put("RABBITMQ_DIST_PORT", Integer.toString(this.distPort));
		env.put("RABBITMQ_MNESIA_BASE", base.resolve("mnesia").toString());
		env.put("RABBITMQ_LOG_BASE", base.resolve("log").toString());
		// absent files: the defaults, no plugins, no machine-wide rabbitmq-env.conf
		env.put("RABBITMQ_CONFIG_FILE", base.resolve((this.tls != null) ? "rabbitmq.conf" : "rabbitmq").toString());
		env.put("RABBITMQ_ENABLED_PLUGINS_FILE", base.resolve("enabled_plugins").toString());
		env.put("RABBITMQ_CONF_ENV_FILE", base.resolve("rabbitmq-env.conf").toString());
		env.put("RABBITMQ_PID_FILE", pidFile().toString());
		env.put("ERL_EPMD_PORT", Integer.toString(this.epmdPort));
		env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
		env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
	}

	private void killNodeProcesses(Process script) {
		Optional<ProcessHandle> beam = beamPid().flatMap(ProcessHandle::of);
		beam.ifPresent(ProcessHandle::destroyForcibly);
		script.descendants().forEach(ProcessHandle::destroyForcibly);
		script.destroyForcibly();
		try {
			script.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		beam.ifPresent(this::awaitExit);
	}

	private void awaitExit(ProcessHandle handle) {
		try {
			handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			handle.destroyForcibly();
		}
	}

	private Optional<Long> beamPid() {
		try {
			Path pid = pidFile();
			if (!Files.exists(pid)) {
				return Optional.empty();
			}
			return Optional.of(Long.parseLong(Files.readString(pid).trim()));
		}
		catch (IOException | NumberFormatException ex) {
			return Optional.empty();
		}
	}

	/** The epmd daemon the node started on its own port: found by its environment, then stopped. */
	private void killEpmd() {
		if (this.epmdPort == 0) {
			return;
		}
		String marker = "ERL_EPMD_PORT=" + this.epmdPort;
		try (Stream<Path> procs = Files.list(Paths.get("/proc"))) {
			procs.filter(dir -> dir.getFileName().toString().chars().allMatch(Character::isDigit))
				.filter(dir -> isEpmdWith(dir, marker))
				.map(dir -> Long.parseLong(dir.getFileName().toString()))
				.flatMap(pid -> ProcessHandle.of(pid).stream())
				.forEach(handle -> {
					handle.destroy();
					awaitExit(handle);
				});
		}
		catch (IOException | UncheckedIOException ex) {
			// no /proc: nothing more we can do; epmd exits with the machine
		}
	}

	private static boolean isEpmdWith(Path procDir, String marker) {
		try {
			String comm = Files.readString(procDir.resolve("comm")).trim();
			if (!comm.equals("epmd")) {
				return false;
			}
			String environ = new String(Files.readAllBytes(procDir.resolve("environ")), StandardCharsets.UTF_8);
			for (String entry : environ.split("\0")) {
				if (entry.equals(marker)) {
					return true;
				}
			}
			return false;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/** The TLS listener's part of {@code rabbitmq.conf}. */
	private record Tls(TestCertificates.Identity certificate, TestCertificates.Identity ca,
			boolean requireClientCertificate) {

		String config(int port) {
			return "listeners.ssl.default = 127.0.0.1:" + port + "\n" + "ssl_options.cacertfile = "
					+ this.ca.certificate().toAbsolutePath() + "\n" + "ssl_options.certfile = "
					+ this.certificate.certificate().toAbsolutePath() + "\n" + "ssl_options.keyfile = "
					+ this.certificate.privateKey().toAbsolutePath() + "\n" + "ssl_options.verify = verify_peer\n"
					+ "ssl_options.fail_if_no_peer_cert = " + this.requireClientCertificate + "\n";
		}

	}

	private Path pidFile() {
		return baseDir().resolve("rabbitmq.pid");
	}

	private Path baseDir() {
		Path dir = this.baseDir;
		if (dir == null) {
			throw new IllegalStateException("the RabbitMQ node has not been started");
		}
		return dir;
	}

	private void requireStarted() {
		if (this.nodeName == null) {
			throw new IllegalStateException("the RabbitMQ node has not been started");
		}
	}

}
