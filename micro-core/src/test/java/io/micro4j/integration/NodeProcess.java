package io.micro4j.integration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.server.DefaultServer;

/**
 * A micro server in its own JVM, for tests that freeze or kill a node: {@link #start(String)} launches this class's
 * {@link #main} with the test's class path; the child serves {@code Nodes.Who} (answers its name), prints
 * {@code LISTENING <port>} and exits when its standard input closes, so it never outlives the test.
 */
final class NodeProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private NodeProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/** The handler of the child. */
	public static final class Nodes {

		private final String name;

		Nodes(String name) {
			this.name = name;
		}

		public Who who(Who request) {
			return new Who(this.name);
		}

	}

	public record Who(String name) {
	}

	public static void main(String[] args) throws Exception {
		MemoryRegistry registry = new MemoryRegistry();
		DefaultServer server = DefaultServer.builder("nodes").address("127.0.0.1:0").registry(registry).build();
		server.handle(new Nodes(args[0]));
		server.start();
		System.out.println("LISTENING " + server.boundAddress().orElseThrow().getPort());
		System.out.flush();
		while (System.in.read() >= 0) {
			// until the parent closes our input
		}
		server.stop();
		System.exit(0);
	}

	static NodeProcess start(String name) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
				"-cp", System.getProperty("java.class.path"), NodeProcess.class.getName(), name));
		builder.redirectError(ProcessBuilder.Redirect.DISCARD);
		Process process = builder.start();
		BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		String line;
		while ((line = out.readLine()) != null) {
			if (line.startsWith("LISTENING ")) {
				return new NodeProcess(process, Integer.parseInt(line.substring(10).trim()));
			}
			if (System.nanoTime() > deadline) {
				break;
			}
		}
		process.destroyForcibly();
		throw new IOException("node process " + name + " did not start (exit " + process.isAlive() + ")");
	}

	int port() {
		return this.port;
	}

	/** Sends {@code signal} (e.g. {@code STOP}, {@code CONT}) to the process with kill(1). */
	void signal(String signal) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(this.process.pid())).start();
		if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
			throw new IOException("kill -" + signal + " " + this.process.pid() + " failed");
		}
	}

	@Override
	public void close() throws Exception {
		if (this.process.isAlive()) {
			signal("CONT");
		}
		this.process.getOutputStream().close();
		if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
		}
	}

}
