package io.micro4j.test.nats;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micro4j.test.support.ServerProcess;
import io.micro4j.test.tls.TestCertificates;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code nats-server} for tests, started from the binary of Debian's package on a random loopback port.
 * <p>
 * Register it once per test class, as a static field, so the server (up in well under a second) serves every test
 * of the class:
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final NatsServer nats = new NatsServer();
 *
 * NatsBroker broker = NatsBroker.builder().servers(nats.url()).build();
 * </pre>
 *
 * The server runs as {@code nats-server -a 127.0.0.1 -p <port>} with its log in a temporary directory, and is ready
 * when it accepts a connection and greets with {@code INFO}. {@link #close()} (or the end of the test class) stops
 * it and deletes the directory; {@link #stop()} and {@link #start()} let fault tests take it away and bring it back
 * on the same port. It can also be used outside JUnit (benchmarks): {@code start()}, then {@code close()}.
 * <p>
 * {@link #withTls} makes a server that accepts TLS clients only (a {@code tls} block in a configuration file), with
 * or without verifying client certificates (mTLS).
 * <p>
 * A missing binary is a failure with the install command ({@code apt-get install nats-server}), never a skip. The
 * binary can be named with the system property {@value #BINARY_PROPERTY}.
 */
public final class NatsServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	/** The system property naming the {@code nats-server} binary to run. */
	public static final String BINARY_PROPERTY = "micro4j.nats-server";

	/** How long the server may take to accept connections. */
	public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private static final List<String> SEARCH_PATH = List.of("/usr/sbin", "/usr/bin", "/usr/local/bin");

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration POLL = Duration.ofMillis(20);

	private final @Nullable Tls tls;

	private @Nullable Path dir;

	private int port;

	private @Nullable Process process;

	/** A plaintext server. */
	public NatsServer() {
		this(null);
	}

	private NatsServer(@Nullable Tls tls) {
		this.tls = tls;
	}

	/**
	 * A server that requires TLS, presenting {@code certificate} (PEM chain and key), trusting {@code ca} for client
	 * certificates, and refusing clients without one when {@code verifyClients} ({@code verify: true}).
	 */
	public static NatsServer withTls(TestCertificates.Identity certificate, TestCertificates.Identity ca,
			boolean verifyClients) {
		return new NatsServer(new Tls(certificate, ca, verifyClients));
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
	 * Starts the server and waits until it accepts connections; the first start picks the port, later ones reuse
	 * it. Does nothing if the server is running.
	 * @throws IllegalStateException if the binary is missing (with the install hint) or the server does not start
	 */
	public synchronized void start() {
		if (this.process != null && this.process.isAlive()) {
			return;
		}
		Path binary = binary();
		try {
			if (this.dir == null) {
				this.dir = Files.createTempDirectory("micro4j-nats-");
				this.port = ServerProcess.freePort();
			}
			Path log = this.dir.resolve("nats-server.log");
			List<String> command = new ArrayList<>(List.of(binary.toString(), "-a", "127.0.0.1", "-p",
					String.valueOf(this.port), "-n", "micro4j-test-" + this.port));
			if (this.tls != null) {
				Path config = this.dir.resolve("nats-server.conf");
				Files.writeString(config, this.tls.config(), StandardCharsets.UTF_8);
				command.addAll(List.of("-c", config.toString()));
			}
			Process started = ServerProcess.start(new ProcessBuilder(command), log);
			this.process = started;
			awaitReady(started, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start " + binary, ex);
		}
	}

	/** Stops the server (SIGTERM, then SIGKILL after 5 s); {@link #start()} brings it back on the same port. */
	public synchronized void stop() {
		Process running = this.process;
		if (running == null) {
			return;
		}
		this.process = null;
		try {
			ServerProcess.stop(running, ServerProcess.Signal.TERM, STOP_TIMEOUT);
		}
		catch (InterruptedException ex) {
			running.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/** Stops the server and deletes its directory; idempotent. */
	@Override
	public synchronized void close() {
		stop();
		Path directory = this.dir;
		this.dir = null;
		if (directory != null) {
			ServerProcess.deleteQuietly(directory);
		}
	}

	/** The client URL, {@code nats://127.0.0.1:<port>} (a TLS server upgrades it to TLS). */
	public String url() {
		return "nats://127.0.0.1:" + port();
	}

	/** The client URL that requires TLS, {@code tls://127.0.0.1:<port>}. */
	public String tlsUrl() {
		return "tls://127.0.0.1:" + port();
	}

	/** The port the server listens on. */
	public int port() {
		if (this.port == 0) {
			throw new IllegalStateException("nats-server was not started");
		}
		return this.port;
	}

	private static Path binary() {
		String configured = System.getProperty(BINARY_PROPERTY);
		if (configured != null && !configured.isBlank()) {
			Path path = Paths.get(configured);
			if (Files.isExecutable(path)) {
				return path;
			}
			throw missing(configured);
		}
		return ServerProcess.onPath("nats-server")
			.or(() -> ServerProcess.inDirectories("nats-server", SEARCH_PATH))
			.orElseThrow(() -> missing("nats-server"));
	}

	private static IllegalStateException missing(String what) {
		return new IllegalStateException("nats-server is not installed (no executable " + what
				+ "): install it with 'apt-get install nats-server' (or run scripts/install-test-tools)");
	}

	private void awaitReady(Process started, Path log) {
		ServerProcess.Readiness readiness;
		try {
			readiness = ServerProcess.awaitReady(started, START_TIMEOUT, POLL, this::greets);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			readiness = ServerProcess.Readiness.TIMED_OUT;
		}
		if (readiness == ServerProcess.Readiness.READY) {
			return;
		}
		if (readiness == ServerProcess.Readiness.EXITED) {
			throw new IllegalStateException("nats-server exited with " + started.exitValue() + " on port "
					+ this.port + ":\n" + ServerProcess.tail(log, 20, "no log"));
		}
		stop();
		throw new IllegalStateException("nats-server did not accept connections on port " + this.port + " within "
				+ START_TIMEOUT + ":\n" + ServerProcess.tail(log, 20, "no log"));
	}

	/** The {@code tls} block of the configuration file. */
	private record Tls(TestCertificates.Identity certificate, TestCertificates.Identity ca, boolean verifyClients) {

		String config() {
			return "tls {\n" + "  cert_file: \"" + this.certificate.certificate().toAbsolutePath() + "\"\n"
					+ "  key_file: \"" + this.certificate.privateKey().toAbsolutePath() + "\"\n" + "  ca_file: \""
					+ this.ca.certificate().toAbsolutePath() + "\"\n" + "  verify: " + this.verifyClients + "\n"
					+ "  timeout: 2\n" + "}\n";
		}

	}

	/** Whether the server accepts a connection and sends its {@code INFO} line (in plaintext, also with TLS). */
	private boolean greets() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 500);
			socket.setSoTimeout(1000);
			InputStream in = socket.getInputStream();
			byte[] start = in.readNBytes(4);
			return "INFO".equals(new String(start, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			return false;
		}
	}

}
