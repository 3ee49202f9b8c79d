package io.micro4j.transport.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Twenty thousand idle connections against a server process whose open-file limit is 2048: it keeps answering on
 * its mucp port and on its other port, and logs the condition in a few lines.
 * <p>
 * The server ({@link PressureServerMain}) and two attackers ({@link IdleConnectionsMain}, 10,000 connections each)
 * are child processes, so neither this JVM's descriptors nor its limit are involved.
 */
class FdPressureTests {

	private static final int SERVER_FILE_LIMIT = 2048;

	private static final int ATTACKERS = 2;

	private static final int CONNECTIONS_PER_ATTACKER = 10_000;

	private final List<Process> processes = new ArrayList<>();

	@TempDir
	Path dir;

	@AfterEach
	void stopProcesses() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void whenTwentyThousandIdleConnectionsArriveThenBothPortsKeepAnsweringAndTheLogHasAFewLines() throws Exception {
		runAttack(0);
	}

	@Test
	void whenFileDescriptorsRunOutThenAcceptingPausesIdleConnectionsAreShedAndBothPortsKeepAnswering()
			throws Exception {
		// 1,500 files held leave about 500 descriptors: fewer than the mucp port's limit of 1,024 connections
		runAttack(1500);
	}

	private void runAttack(int ballast) throws Exception {
		Path serverLog = this.dir.resolve("server.log");
		Process server = start(serverLog, SERVER_FILE_LIMIT, PressureServerMain.class.getName(),
				String.valueOf(ballast));
		String ready = awaitLine(serverLog, "READY ", Duration.ofSeconds(30));
		String[] ports = ready.trim().split(" ");
		int mucpPort = Integer.parseInt(ports[1]);
		int webPort = Integer.parseInt(ports[2]);
		assertThat(mucp(mucpPort)).isTrue();
		assertThat(web(webPort)).isTrue();

		List<Path> attackerLogs = new ArrayList<>();
		for (int i = 0; i < ATTACKERS; i++) {
			Path log = this.dir.resolve("attacker-" + i + ".log");
			attackerLogs.add(log);
			start(log, 20_000, IdleConnectionsMain.class.getName(), "127.0.0.1", String.valueOf(mucpPort),
					String.valueOf(CONNECTIONS_PER_ATTACKER), "40");
		}
		AtomicInteger maxFds = new AtomicInteger();
		int connected = 0;
		long attackStart = System.nanoTime();
		for (Path log : attackerLogs) {
			String line = awaitLine(log, "CONNECTED ", Duration.ofSeconds(60), () -> maxFds
				.accumulateAndGet(openFiles(server.pid()), Math::max));
			connected += Integer.parseInt(line.trim().split(" ")[1]);
		}
		long attackMillis = (System.nanoTime() - attackStart) / 1_000_000;
		maxFds.accumulateAndGet(openFiles(server.pid()), Math::max);

		long answerStart = System.nanoTime();
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> mucp(mucpPort));
		long mucpMillis = (System.nanoTime() - answerStart) / 1_000_000;
		answerStart = System.nanoTime();
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> web(webPort));
		long webMillis = (System.nanoTime() - answerStart) / 1_000_000;
		maxFds.accumulateAndGet(openFiles(server.pid()), Math::max);

		List<String> limitLines;
		try (Stream<String> lines = Files.lines(serverLog)) {
			limitLines = lines.filter((line) -> !line.startsWith("READY ")).toList();
		}
		System.out.printf("fd pressure (ballast %d): %d of %d idle connections made in %d ms; server held at most %d "
				+ "descriptors (limit %d); then mucp answered in %d ms, web in %d ms; server log lines: %d%n", ballast,
				connected, ATTACKERS * CONNECTIONS_PER_ATTACKER, attackMillis, maxFds.get(), SERVER_FILE_LIMIT,
				mucpMillis, webMillis, limitLines.size());
		limitLines.forEach((line) -> System.out.println("  server log: " + line));
		assertThat(connected).isGreaterThan(ATTACKERS * CONNECTIONS_PER_ATTACKER / 2);
		assertThat(limitLines).hasSizeLessThanOrEqualTo(3);
		assertThat(limitLines).noneMatch((line) -> line.contains("\tat "));
		assertThat(server.isAlive()).isTrue();
	}

	private Process start(Path log, int fileLimit, String mainClass, String... args) throws IOException {
		String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
		StringBuilder command = new StringBuilder("ulimit -n " + fileLimit + " && exec ").append(quote(java))
			.append(" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp ")
			.append(quote(System.getProperty("java.class.path")))
			.append(' ')
			.append(mainClass);
		for (String arg : args) {
			command.append(' ').append(quote(arg));
		}
		ProcessBuilder builder = new ProcessBuilder("bash", "-c", command.toString()).redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Process process = builder.start();
		this.processes.add(process);
		return process;
	}

	private static String quote(String text) {
		return "'" + text.replace("'", "'\\''") + "'";
	}

	private static String awaitLine(Path log, String prefix, Duration timeout) {
		return awaitLine(log, prefix, timeout, () -> {
		});
	}

	private static String awaitLine(Path log, String prefix, Duration timeout, Runnable meanwhile) {
		String[] found = new String[1];
		await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
			meanwhile.run();
			if (!Files.exists(log)) {
				return false;
			}
			try (Stream<String> lines = Files.lines(log)) {
				found[0] = lines.filter((line) -> line.startsWith(prefix)).findFirst().orElse(null);
			}
			return found[0] != null;
		});
		return found[0];
	}

	private static int openFiles(long pid) {
		try (Stream<Path> fds = Files.list(Paths.get("/proc", String.valueOf(pid), "fd"))) {
			return (int) fds.count();
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	/** Whether a mucp call on a new connection gets a 200 (5 seconds to connect, 3 to answer). */
	private static boolean mucp(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(3000);
			OutputStream out = socket.getOutputStream();
			out.write(RawHttp.post("{}"));
			out.flush();
			return RawHttp.read(socket.getInputStream()).status() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Whether a GET on a new connection to the plain HTTP port gets a 200 (5 seconds to connect, 3 to answer). */
	private static boolean web(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(3000);
			OutputStream out = socket.getOutputStream();
			out.write("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
			return status != null && status.startsWith("HTTP/1.1 200");
		}
		catch (IOException ex) {
			return false;
		}
	}

}
