package io.micro4j.test.consul;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.micro4j.test.support.LocalServer;
import io.micro4j.test.support.ServerProcess;
import io.micro4j.test.tls.TestCertificates;
import org.jspecify.annotations.Nullable;

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
 * <p>
 * {@link #ConsulServer(TestCertificates)} also opens an HTTPS port ({@link #httpsAddress()}) that presents the set's
 * {@linkplain TestCertificates#server() server certificate} and requires client certificates issued by its CA
 * ({@code verify_incoming_https}); the plaintext port stays open for {@link #call}.
 */
public final class ConsulServer extends LocalServer {

	/** How to get the Consul binary. */
	public static final String INSTALL_HINT = "scripts/install-test-tools";

	/** Where {@value #INSTALL_HINT} puts the binary, relative to the project root. */
	public static final String TOOLS_BINARY = ".tools/consul/usr/bin/consul";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final @Nullable TestCertificates certificates;

	private int httpPort;

	private int httpsPort = -1;

	/** An agent that is not started yet, with a plaintext HTTP port only. */
	public ConsulServer() {
		super("consul", "consul agent", "micro-consul-", START_TIMEOUT);
		this.certificates = null;
	}

	/**
	 * An agent that is not started yet, with an HTTPS port too: it presents {@code certificates.server()} and
	 * requires a client certificate issued by {@code certificates.ca()}.
	 */
	public ConsulServer(TestCertificates certificates) {
		super("consul", "consul agent", "micro-consul-tls-", START_TIMEOUT);
		this.certificates = certificates;
	}

	/**
	 * Starts the agent on new free ports and waits until it has a leader; does nothing if it is running.
	 * @return this agent
	 * @throws IllegalStateException if the binary is missing (with the install hint) or the agent did not start
	 */
	@Override
	public synchronized ConsulServer start() {
		super.start();
		return this;
	}

	/** The HTTP address as {@code host:port}, the form of {@code micro.registry.address}. */
	public String address() {
		requireStarted();
		return "127.0.0.1:" + this.httpPort;
	}

	/**
	 * The HTTPS address as {@code host:port}.
	 * @throws IllegalStateException if the agent has no HTTPS port (made without certificates) or is not started
	 */
	public String httpsAddress() {
		requireStarted();
		if (this.certificates == null) {
			throw new IllegalStateException(
					"this consul agent has no HTTPS port: make it with ConsulServer(TestCertificates)");
		}
		return "127.0.0.1:" + this.httpsPort;
	}

	/** The HTTP API's URL, {@code http://127.0.0.1:<port>}. */
	public String url() {
		return "http://" + address();
	}

	/** Stops the agent with SIGINT and waits for it to exit. */
	public synchronized void stop() {
		requireStarted();
		stopProcess();
	}

	/** Stops the agent (if it runs) and starts it again on the same ports, empty, waiting until it has a leader. */
	@Override
	public synchronized void restart() {
		super.restart();
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

	@Override
	protected Path binary() {
		return consulBinary();
	}

	@Override
	protected void prepare(Path directory) throws IOException {
		this.httpPort = ServerProcess.freePort();
		TestCertificates tls = this.certificates;
		this.httpsPort = (tls != null) ? ServerProcess.freePort() : -1;
		String files = (tls == null) ? "" : """
				  "cert_file": "%s",
				  "key_file": "%s",
				  "ca_file": "%s",
				  "verify_incoming_https": true,
				""".formatted(tls.server().certificate(), tls.server().privateKey(), tls.ca().certificate());
		String config = """
				{
				  "node_name": "micro-test",
				  "disable_update_check": true,
				  "log_level": "warn",
				%s  "ports": {
				    "http": %d,
				    "https": %d,
				    "dns": %d,
				    "grpc": %d,
				    "serf_lan": %d,
				    "serf_wan": %d,
				    "server": %d
				  }
				}
				""".formatted(files, this.httpPort, this.httpsPort, ServerProcess.freePort(), ServerProcess.freePort(),
				ServerProcess.freePort(), ServerProcess.freePort(), ServerProcess.freePort());
		Files.writeString(directory.resolve("agent.json"), config, StandardCharsets.UTF_8);
	}

	@Override
	protected List<String> command(Path consul) {
		return List.of(consul.toString(), "agent", "-dev", "-bind=127.0.0.1", "-client=127.0.0.1",
				"-config-file=" + directory().resolve("agent.json"));
	}

	@Override
	protected Path log(Path directory) {
		return directory.resolve("agent.log");
	}

	@Override
	protected boolean isReady() {
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

	@Override
	protected String notReadyMessage(Duration timeout) {
		return "consul had no leader after " + timeout;
	}

	@Override
	protected void terminate(Process running) {
		try {
			ServerProcess.stop(running, ServerProcess.Signal.INT, STOP_TIMEOUT);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The consul binary: on the PATH, else under the project root's {@value #TOOLS_BINARY}. */
	static Path consulBinary() {
		return ServerProcess.onPath("consul")
			.or(ConsulServer::inProjectTools)
			.orElseThrow(() -> new IllegalStateException("consul was not found on the PATH nor in " + TOOLS_BINARY
					+ " of the project: run `" + INSTALL_HINT + "` (it fetches Debian 11's consul)"));
	}

	private static Optional<Path> inProjectTools() {
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

}
