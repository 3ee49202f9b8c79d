package io.micro4j.benchmarks.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A process a benchmark driver starts, with its output in {@code benchmarks/target/logs/<name>.log}: the plumbing
 * {@link Jvm} (servers in JVMs of their own) and {@link Peer} (programs that answer on standard output) share.
 * <p>
 * The process is destroyed when the driver exits (Ctrl-C, kill) and by {@link #close()}, which waits for it.
 */
public abstract class ChildProcess implements AutoCloseable {

	/** The folder of the children's logs. */
	protected static final Path LOGS = Path.of("benchmarks", "target", "logs");

	/** The child's name, also the name of its log. */
	protected final String name;

	/** The running process. */
	protected final Process process;

	/** When the process was launched, from {@link System#nanoTime()}. */
	protected final long startNanos;

	private final Thread destroyOnExit;

	/**
	 * Launches {@code builder}'s command; the builder's redirections are the subclass's choice.
	 * @param name the child's name
	 * @param builder the command to run
	 */
	protected ChildProcess(String name, ProcessBuilder builder) throws IOException {
		Files.createDirectories(LOGS);
		this.name = name;
		this.startNanos = System.nanoTime();
		this.process = builder.start();
		this.destroyOnExit = new Thread(this.process::destroy);
		Runtime.getRuntime().addShutdownHook(this.destroyOnExit);
	}

	/** The log file of the child named {@code name}. */
	protected static Path log(String name) {
		return LOGS.resolve(name + ".log");
	}

	/** The failure to report when the child exited or did not answer: {@code problem}, then where its log is. */
	protected IllegalStateException failure(String problem) {
		return new IllegalStateException(this.name + " " + problem + "; see " + log(this.name) + "\n" + tail());
	}

	/** @throws IllegalStateException when the child has exited */
	protected void checkAlive() {
		if (!this.process.isAlive()) {
			throw failure("exited with " + this.process.exitValue());
		}
	}

	/** The last lines of the child's log. */
	public String tail() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(Files.newInputStream(log(this.name)), StandardCharsets.UTF_8))) {
			List<String> lines = reader.lines().collect(Collectors.toList());
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "";
		}
	}

	/** Asks the child to stop (SIGTERM), waits up to 10 s, then kills it. */
	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.destroyOnExit);
		}
		catch (IllegalStateException ex) {
			// the driver is exiting already
		}
	}

}
