package io.micro4j.transport.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.sun.net.httpserver.HttpServer;
import io.micro4j.metadata.Metadata;
import io.micro4j.transport.TransportResponse;

/**
 * The server side of {@link FdPressureTests}, run in a child process with a low open-file limit: an
 * {@link HttpTransportServer} with the default limits (the mucp port) and a plain JDK HTTP server (standing for the
 * process's other ports, such as the web port). Optionally it first holds {@code ballast} open files, leaving fewer
 * descriptors than the mucp port's connection limit. Prints {@code READY <mucp port> <web port>}, then runs until
 * its standard input closes.
 */
public final class PressureServerMain {

	private PressureServerMain() {
	}

	public static void main(String[] args) throws IOException {
		int ballast = (args.length > 0) ? Integer.parseInt(args[0]) : 0;
		List<RandomAccessFile> files = new ArrayList<>();
		for (int i = 0; i < ballast; i++) {
			files.add(new RandomAccessFile("/dev/null", "r"));
		}
		HttpTransportServer mucp = HttpTransportServer.builder().address("127.0.0.1:0").build();
		InetSocketAddress mucpAddress = mucp.start((request, local, remote) -> CompletableFuture.completedFuture(
				new TransportResponse(200, Metadata.empty(), "{}".getBytes(StandardCharsets.UTF_8))));
		HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
		web.createContext("/", (exchange) -> {
			byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		web.start();
		System.out.println("READY " + mucpAddress.getPort() + " " + web.getAddress().getPort());
		System.out.flush();
		while (System.in.read() != -1) {
			// run until the test closes our input
		}
		web.stop(0);
		mucp.stop(Duration.ZERO);
		for (RandomAccessFile file : files) {
			file.close();
		}
	}

}
