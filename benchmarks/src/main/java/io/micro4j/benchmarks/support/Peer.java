package io.micro4j.benchmarks.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A program that is not a JVM of ours, e.g. the go-micro peer of the unary RPC benchmark, which tells the driver
 * what it needs on its standard output (a {@code READY} line, a line of results).
 * <p>
 * Its standard output and error are read by a thread of the driver that copies every line to
 * {@code benchmarks/target/logs/<name>.log} and hands it to {@link #awaitLine}. Its standard input stays open
 * until {@link #close()}, which closes it (a peer server stops on that), then stops the process.
 */
public final class Peer extends ChildProcess {

	private static final String END = "\u0000end of output";

	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	private Peer(String name, ProcessBuilder builder, boolean append) throws IOException {
		super(name, builder);
		PrintWriter log = new PrintWriter(Files.newBufferedWriter(log(name), StandardCharsets.UTF_8,
				StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING), true);
		log.println("== " + String.join(" ", builder.command()));
		Thread reader = new Thread(() -> {
			try (log; BufferedReader output = new BufferedReader(
					new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = output.readLine(); line != null; line = output.readLine()) {
					log.println(line);
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				log.println("reading the output failed: " + ex);
			}
			finally {
				this.lines.add(END);
			}
		}, name + "-output");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts {@code executable} with {@code args}.
	 * @param name the child's name, for its log file
	 * @param append whether to add to the log (a child run many times) instead of starting it anew
	 * @param executable the program
	 * @param args its arguments
	 * @return the running child
	 */
	public static Peer start(String name, boolean append, Path executable, String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(executable.toString());
		command.addAll(List.of(args));
		return new Peer(name, new ProcessBuilder(command).redirectErrorStream(true), append);
	}

	/**
	 * Waits for the first line of output, from now on, that satisfies {@code wanted}.
	 * @return that line
	 * @throws IllegalStateException when the output ends (the child exited) or {@code limit} passes first
	 */
	public String awaitLine(Predicate<String> wanted, Duration limit) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		long left;
		while ((left = deadline - System.nanoTime()) > 0) {
			String line = this.lines.poll(left, TimeUnit.NANOSECONDS);
			if (line == END) {
				this.lines.add(END);
				throw failure("ended its output without the expected line (exit "
						+ (this.process.waitFor(5, TimeUnit.SECONDS) ? this.process.exitValue() : "pending") + ")");
			}
			if (line != null && wanted.test(line)) {
				return line;
			}
		}
		throw failure("did not print the expected line within " + limit);
	}

	/**
	 * Waits for the child to exit by itself.
	 * @return its exit code
	 * @throws IllegalStateException when it is still running after {@code limit}
	 */
	public int awaitExit(Duration limit) throws InterruptedException {
		if (!this.process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS)) {
			throw failure("did not exit within " + limit);
		}
		return this.process.exitValue();
	}

	/** Closes the child's standard input, then stops it as {@link ChildProcess#close()} does. */
	@Override
	public void close() throws InterruptedException {
		try {
			this.process.getOutputStream().close();
		}
		catch (IOException ex) {
			// gone already
		}
		// a peer server stops by itself when its input closes; SIGTERM otherwise
		this.process.waitFor(2, TimeUnit.SECONDS);
		super.close();
	}

}
