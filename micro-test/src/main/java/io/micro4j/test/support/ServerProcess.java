package io.micro4j.test.support;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Static helpers for running a server binary as a local process in tests: finding the binary, choosing free
 * loopback ports, starting the process with its output appended to a log, waiting until it is ready, stopping it,
 * and deleting its files.
 * <p>
 * The launchers word their own error messages (with their install hints); these helpers only report what
 * happened.
 */
public final class ServerProcess {

	private ServerProcess() {
	}

	/**
	 * Finds the executable {@code name} in the directories of the {@code PATH} environment variable.
	 * @return the first executable found, or empty if there is none (or no {@code PATH})
	 */
	public static Optional<Path> onPath(String name) {
		String path = System.getenv("PATH");
		return (path != null) ? inDirectories(name, List.of(path.split(File.pathSeparator))) : Optional.empty();
	}

	/**
	 * Finds the executable {@code name} in {@code directories}, in their order; empty entries are passed over.
	 * @return the first executable found, or empty if there is none
	 */
	public static Optional<Path> inDirectories(String name, List<String> directories) {
		return directories.stream()
			.filter(dir -> !dir.isEmpty())
			.map(dir -> Paths.get(dir, name))
			.filter(Files::isExecutable)
			.findFirst();
	}

	/**
	 * Chooses a port on the loopback address that is free now; a later call may return the same port.
	 * @return the port
	 * @throws IOException if no socket can be opened
	 */
	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Chooses {@code count} distinct ports on the loopback address that are free now, holding each open until all
	 * are chosen.
	 * @return the ports
	 * @throws IOException if the sockets cannot be opened
	 */
	public static int[] freePorts(int count) throws IOException {
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			int[] ports = new int[count];
			for (int i = 0; i < count; i++) {
				ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				sockets.add(socket);
				ports[i] = socket.getLocalPort();
			}
			return ports;
		}
		finally {
			for (ServerSocket socket : sockets) {
				socket.close();
			}
		}
	}

	/**
	 * Starts {@code builder}'s command with its standard output and error appended to {@code log}. Anything else
	 * (environment, standard input) is the caller's to set on the builder.
	 * @return the started process
	 * @throws IOException if the process cannot be started
	 */
	public static Process start(ProcessBuilder builder, Path log) throws IOException {
		return builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
	}

	/**
	 * Polls {@code ready} every {@code poll} until it answers {@code true}, the process exits, or {@code timeout}
	 * has passed; the process is checked before each poll.
	 * @return how the wait ended
	 * @throws InterruptedException if the thread is interrupted between two polls
	 */
	public static Readiness awaitReady(Process process, Duration timeout, Duration poll, BooleanSupplier ready)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				return Readiness.EXITED;
			}
			if (ready.getAsBoolean()) {
				return Readiness.READY;
			}
			Thread.sleep(poll.toMillis());
		}
		return Readiness.TIMED_OUT;
	}

	/**
	 * Stops {@code process}: sends {@code signal} and waits up to {@code grace} for it to exit; unless the signal
	 * was already {@link Signal#KILL}, then sends SIGKILL and waits up to {@code grace} again. A process that has
	 * exited already is left alone. If {@code kill(1)} cannot be run for {@link Signal#INT}, the process is killed
	 * at once without waiting.
	 * @return whether the process has exited
	 * @throws InterruptedException if the thread is interrupted while waiting
	 */
	public static boolean stop(Process process, Signal signal, Duration grace) throws InterruptedException {
		if (!process.isAlive()) {
			return true;
		}
		switch (signal) {
			case TERM -> process.destroy();
			case KILL -> process.destroyForcibly();
			case INT -> {
				try {
					new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start()
						.waitFor(5, TimeUnit.SECONDS);
				}
				catch (IOException ex) {
					process.destroyForcibly();
					return false;
				}
			}
		}
		if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS) || signal == Signal.KILL) {
			return !process.isAlive();
		}
		process.destroyForcibly();
		return process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * The last {@code lines} lines of {@code file}, joined with newlines, for an error message.
	 * @param absent what to say, in parentheses with the reason, if the file cannot be read (e.g. "no log")
	 * @return the lines, or {@code (<absent>: <reason>)}
	 */
	public static String tail(Path file, int lines, String absent) {
		try {
			List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(" + absent + ": " + ex.getMessage() + ")";
		}
	}

	/**
	 * Deletes {@code dir} with everything in it; does nothing if it does not exist.
	 * @throws IOException if something could not be deleted
	 */
	public static void deleteRecursively(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	/**
	 * Deletes what it can of {@code dir} and everything in it, ignoring failures: a temporary directory left
	 * behind is harmless.
	 */
	public static void deleteQuietly(Path dir) {
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					// best effort
				}
			});
		}
		catch (IOException | RuntimeException ex) {
			// best effort
		}
	}

	/** How {@link #awaitReady} ended. */
	public enum Readiness {

		/** The readiness check answered {@code true}. */
		READY,

		/** The process exited before it was ready. */
		EXITED,

		/** The timeout passed before the process was ready. */
		TIMED_OUT

	}

	/** The signal {@link #stop} starts with. */
	public enum Signal {

		/** SIGTERM, {@link Process#destroy()}. */
		TERM,

		/** SIGINT, sent with {@code kill -INT <pid>}. */
		INT,

		/** SIGKILL, {@link Process#destroyForcibly()}. */
		KILL

	}

}
