package io.micro4j.test.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The lifecycle shared by launchers of a server that runs from a binary with a temporary directory of its own and
 * can be taken down and brought back on the same ports by fault tests.
 * <p>
 * {@link #start()} makes a new directory, lets the subclass choose ports and write files into it, starts the
 * process with its output in a log and polls {@link #isReady()}; a start that fails (most likely a port taken
 * between choosing and binding it) is tried again, three times in all, with a new directory and new ports. A
 * missing binary is not tried again.
 * <p>
 * As a JUnit 5 extension, a {@code static} field starts one server for the test class and an instance field one
 * per test; a test that leaves the shared server down gets it restarted before the next test. {@link #close()}
 * stops the server and deletes its files.
 */
public abstract class LocalServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
		AfterEachCallback, AutoCloseable {

	private static final int START_ATTEMPTS = 3;

	private static final Duration POLL = Duration.ofMillis(50);

	private final String name;

	private final String description;

	private final String directoryPrefix;

	private final Duration startTimeout;

	private @Nullable Path directory;

	private @Nullable Process process;

	private boolean startedPerTest;

	/**
	 * A server that is not started yet.
	 * @param name the name of the binary, used in error messages
	 * @param description what the server is, used in error messages (e.g. "etcd server")
	 * @param directoryPrefix the prefix of the temporary directory's name
	 * @param startTimeout how long the server may take to become ready
	 */
	protected LocalServer(String name, String description, String directoryPrefix, Duration startTimeout) {
		this.name = name;
		this.description = description;
		this.directoryPrefix = directoryPrefix;
		this.startTimeout = startTimeout;
	}

	/**
	 * Starts the server in a new directory on new ports and waits until it is ready; does nothing if it is
	 * running.
	 * @return this server
	 * @throws IllegalStateException if the binary is missing (with the install hint) or the server did not become
	 * ready in three attempts
	 */
	public synchronized LocalServer start() {
		if (this.process != null) {
			return this;
		}
		Path binary = binary();
		IllegalStateException last = null;
		for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
			try {
				this.directory = Files.createTempDirectory(this.directoryPrefix);
				prepare(this.directory);
				launch(binary);
				return this;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (IllegalStateException ex) {
				last = ex;
				stopProcess();
				deleteFiles(this.directory);
			}
		}
		throw last;
	}

	/** Whether the server process is running. */
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/** Stops the server (if it runs) and starts it again on the same ports, waiting until it is ready. */
	public synchronized void restart() {
		requireStarted();
		stopProcess();
		launch(binary());
	}

	/** Stops the server and deletes its files; idempotent. */
	@Override
	public synchronized void close() {
		stopProcess();
		if (this.directory != null) {
			deleteFiles(this.directory);
		}
		this.directory = null;
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
		if (this.directory == null) {
			start();
			this.startedPerTest = true;
		}
		else if (!isRunning()) {
			// a test of this class stopped the shared server and did not restart it
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

	/**
	 * The server's binary.
	 * @throws IllegalStateException if it is missing, with the install hint
	 */
	protected abstract Path binary();

	/** Chooses the ports and writes what the server needs into its new {@code directory}. */
	protected abstract void prepare(Path directory) throws IOException;

	/** The command that runs {@code binary} with the directory and ports chosen by {@link #prepare}. */
	protected abstract List<String> command(Path binary);

	/** The file the server's output is appended to. */
	protected abstract Path log(Path directory);

	/** Whether the started server answers as ready; called every 50 ms until it does. */
	protected abstract boolean isReady();

	/** The message of the failure when the server is not ready in time; the log's tail is appended to it. */
	protected abstract String notReadyMessage(Duration timeout);

	/** Stops the server process, which may have exited already. */
	protected abstract void terminate(Process process);

	/** Deletes the server's files: by default its directory with everything in it. */
	protected void deleteFiles(Path directory) {
		try {
			ServerProcess.deleteRecursively(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not delete " + directory, ex);
		}
	}

	/**
	 * Starts the server with {@link #command} and waits until it {@link #isReady() is ready}.
	 * @throws IllegalStateException if it exits or is not ready in time (with the log's tail)
	 */
	protected final void launch(Path binary) {
		Path log = log(directory());
		ProcessBuilder builder = new ProcessBuilder(command(binary))
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		Process started;
		try {
			started = ServerProcess.start(builder, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.process = started;
		ServerProcess.Readiness readiness;
		try {
			readiness = ServerProcess.awaitReady(started, this.startTimeout, POLL, this::isReady);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for " + this.name, ex);
		}
		switch (readiness) {
			case READY -> {
			}
			case EXITED -> throw new IllegalStateException(this.name + " exited with " + started.exitValue()
					+ " on start: " + ServerProcess.tail(log, 20, "no log"));
			case TIMED_OUT -> throw new IllegalStateException(
					notReadyMessage(this.startTimeout) + ": " + ServerProcess.tail(log, 20, "no log"));
		}
	}

	/** Stops the server process if there is one; the directory stays. */
	protected final void stopProcess() {
		Process running = this.process;
		this.process = null;
		if (running != null) {
			terminate(running);
		}
	}

	/**
	 * Throws if the server has not been started (or has been closed).
	 * @throws IllegalStateException if it has not been started
	 */
	protected final void requireStarted() {
		directory();
	}

	/**
	 * The server's directory.
	 * @throws IllegalStateException if the server has not been started (or has been closed)
	 */
	protected final Path directory() {
		Path dir = this.directory;
		if (dir == null) {
			throw new IllegalStateException(this.description + " is not started");
		}
		return dir;
	}

}
