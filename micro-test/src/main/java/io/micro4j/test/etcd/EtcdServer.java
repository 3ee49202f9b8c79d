package io.micro4j.test.etcd;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import io.micro4j.test.support.LocalServer;
import io.micro4j.test.support.ServerProcess;
import io.micro4j.test.tls.TestCertificates;
import org.jspecify.annotations.Nullable;

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
 * <p>
 * {@link #EtcdServer(TestCertificates)} makes a server that speaks TLS only on its client port, with the set's
 * {@linkplain TestCertificates#server() server certificate}, and requires client certificates issued by the set's
 * CA ({@code --client-cert-auth}). {@link #enableAuth(String)} turns on etcd's authentication with a root user and
 * {@link #addUser(String, String, String)} adds a user allowed to read and write one key prefix; {@link #etcdctl}
 * then speaks TLS and authenticates as root by itself.
 */
public final class EtcdServer extends LocalServer {

	/** How to install the etcd server on Debian and Ubuntu. */
	public static final String INSTALL_HINT = "apt-get install etcd-server";

	/** How to install etcdctl on Debian and Ubuntu. */
	public static final String ETCDCTL_INSTALL_HINT = "apt-get install etcd-client";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private static final Duration ETCDCTL_TIMEOUT = Duration.ofSeconds(20);

	private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

	private static final List<String> SEARCH_PATH = List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin");

	private final HttpClient http;

	private final @Nullable TestCertificates certificates;

	private volatile @Nullable String rootPassword;

	private int clientPort;

	private int peerPort;

	/** A server that is not started yet, speaking plaintext. */
	public EtcdServer() {
		super("etcd", "etcd server", "micro-etcd-", START_TIMEOUT);
		this.certificates = null;
		this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
	}

	/**
	 * A server that is not started yet, speaking TLS only on its client port: it presents
	 * {@code certificates.server()} and requires a client certificate issued by {@code certificates.ca()}.
	 */
	public EtcdServer(TestCertificates certificates) {
		super("etcd", "etcd server", "micro-etcd-tls-", START_TIMEOUT);
		this.certificates = certificates;
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(certificates.client().keyManagerFactory().getKeyManagers(),
					certificates.trustManagerFactory().getTrustManagers(), null);
			this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).sslContext(context).build();
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException("cannot make the TLS context of the etcd health check", ex);
		}
	}

	/**
	 * Starts the server on new random ports with an empty data directory and waits until it reports healthy;
	 * does nothing if it is running.
	 * @return this server
	 * @throws IllegalStateException if the binary is missing (with the install hint) or etcd did not become healthy
	 */
	@Override
	public synchronized EtcdServer start() {
		super.start();
		return this;
	}

	/** The client URL, {@code http://127.0.0.1:<port>} ({@code https://} for a TLS server). */
	public String endpoint() {
		return ((this.certificates != null) ? "https://" : "http://") + address();
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

	/** Kills the process with SIGKILL (no clean shutdown) and waits for it to exit; the data stays. */
	public synchronized void kill() {
		requireStarted();
		stopProcess();
	}

	/**
	 * Starts the server again on the same ports with the same data directory (after {@link #kill()}, or killing
	 * it first if it runs), and waits until it is healthy.
	 */
	@Override
	public synchronized void restart() {
		super.restart();
	}

	/** Kills the server, deletes its data, and starts it again empty on the same ports: etcd losing its data. */
	public synchronized void restartEmpty() {
		requireStarted();
		stopProcess();
		deleteFiles(directory());
		this.rootPassword = null;
		try {
			Files.createDirectories(directory());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		launch(binary());
	}

	/**
	 * Turns on etcd's authentication: adds user {@code root} with {@code rootPassword} and the root role, then
	 * enables auth. Later {@link #etcdctl} calls authenticate as root. The data directory keeps it across restarts
	 * (not {@link #restartEmpty()}).
	 * @throws IllegalStateException if etcdctl fails
	 */
	public synchronized void enableAuth(String rootPassword) {
		requireStarted();
		etcdctl("user", "add", "root", "--interactive=false", "--new-user-password=" + rootPassword);
		etcdctl("user", "grant-role", "root", "root");
		etcdctl("auth", "enable");
		this.rootPassword = rootPassword;
	}

	/**
	 * Adds {@code user} with {@code password} and a role of the same name that may read and write every key under
	 * {@code prefix} (and nothing else); after {@link #enableAuth(String)}.
	 * @throws IllegalStateException if etcdctl fails
	 */
	public void addUser(String user, String password, String prefix) {
		etcdctl("role", "add", user);
		etcdctl("role", "grant-permission", user, "--prefix=true", "readwrite", prefix);
		etcdctl("user", "add", user, "--interactive=false", "--new-user-password=" + password);
		etcdctl("user", "grant-role", user, user);
	}

	/**
	 * Runs {@code etcdctl} (API v3) against this server and returns its standard output; with the test
	 * certificates of a TLS server (the client certificate) and as root once auth is enabled.
	 * @throws IllegalStateException if etcdctl is missing (with the install hint), fails, or takes more than 20 s
	 */
	public String etcdctl(String... args) {
		Path etcdctl = binary("etcdctl", ETCDCTL_INSTALL_HINT);
		List<String> command = new ArrayList<>();
		command.add(etcdctl.toString());
		command.add("--endpoints=" + endpoint());
		command.add("--dial-timeout=2s");
		command.add("--command-timeout=5s");
		TestCertificates tls = this.certificates;
		if (tls != null) {
			command.add("--cacert=" + tls.ca().certificate());
			command.add("--cert=" + tls.client().certificate());
			command.add("--key=" + tls.client().privateKey());
		}
		String root = this.rootPassword;
		if (root != null) {
			command.add("--user=root:" + root);
		}
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

	@Override
	protected Path binary() {
		return binary("etcd", INSTALL_HINT);
	}

	@Override
	protected void prepare(Path directory) throws IOException {
		this.clientPort = ServerProcess.freePort();
		this.peerPort = ServerProcess.freePort();
		this.rootPassword = null;
	}

	@Override
	protected List<String> command(Path etcd) {
		String client = endpoint();
		String peer = "http://127.0.0.1:" + this.peerPort;
		List<String> command = new ArrayList<>(List.of(etcd.toString(), "--name", "micro-test", "--data-dir",
				directory().toString(), "--listen-client-urls", client, "--advertise-client-urls", client,
				"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster",
				"micro-test=" + peer, "--initial-cluster-state", "new", "--logger", "zap", "--log-level", "warn"));
		TestCertificates tls = this.certificates;
		if (tls != null) {
			command.addAll(List.of("--cert-file", tls.server().certificate().toString(), "--key-file",
					tls.server().privateKey().toString(), "--trusted-ca-file", tls.ca().certificate().toString(),
					"--client-cert-auth"));
		}
		return command;
	}

	/** The log sits beside the data directory, not in it. */
	@Override
	protected Path log(Path dataDir) {
		return dataDir.resolveSibling(dataDir.getFileName() + ".log");
	}

	@Override
	protected boolean isReady() {
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

	@Override
	protected String notReadyMessage(Duration timeout) {
		return "etcd did not become healthy in " + timeout;
	}

	@Override
	protected void terminate(Process running) {
		try {
			if (!ServerProcess.stop(running, ServerProcess.Signal.KILL, KILL_TIMEOUT)) {
				throw new IllegalStateException("etcd (pid " + running.pid() + ") did not exit after SIGKILL");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	protected void deleteFiles(Path dataDir) {
		try {
			Files.deleteIfExists(log(dataDir));
			ServerProcess.deleteRecursively(dataDir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not delete etcd data directory " + dataDir, ex);
		}
	}

	/** The path of {@code name}, found on the PATH or in the usual directories. */
	static Path binary(String name, String installHint) {
		return ServerProcess.onPath(name)
			.or(() -> ServerProcess.inDirectories(name, SEARCH_PATH))
			.orElseThrow(() -> new IllegalStateException(name + " was not found on the PATH: install it with `"
					+ installHint + "` (or run scripts/install-test-tools)"));
	}

}
