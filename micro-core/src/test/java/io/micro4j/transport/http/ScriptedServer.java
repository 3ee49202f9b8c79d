package io.micro4j.transport.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain {@link ServerSocket} on 127.0.0.1 that runs a script for each accepted connection, on its own thread;
 * it stands in for servers that misbehave or whose exact bytes a test checks.
 */
final class ScriptedServer implements AutoCloseable {

	/** What to do with one accepted connection; the socket is closed afterwards. */
	@FunctionalInterface
	interface Script {

		void run(Socket socket, int connectionNumber) throws Exception;

	}

	private final ServerSocket serverSocket;

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger finished = new AtomicInteger();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final Thread acceptor;

	ScriptedServer(Script script) throws IOException {
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.acceptor = new Thread(() -> {
			while (!this.serverSocket.isClosed()) {
				try {
					Socket socket = this.serverSocket.accept();
					int number = this.accepted.incrementAndGet();
					this.sockets.add(socket);
					Thread worker = new Thread(() -> {
						try (socket) {
							script.run(socket, number);
							this.finished.incrementAndGet();
						}
						catch (Exception ex) {
							// the script ends when the peer goes away or the test closes the server
						}
					}, "scripted-connection-" + number);
					worker.setDaemon(true);
					worker.start();
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "scripted-server");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	/** A keep-alive script: answers each request with 200 and {@code body}; returns when the client closes. */
	static Script keepAlive(String body) {
		return (socket, number) -> {
			while (true) {
				try {
					RawHttp.read(socket.getInputStream());
				}
				catch (EOFException ex) {
					return;
				}
				socket.getOutputStream().write(response200(body));
			}
		};
	}

	static byte[] response200(String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return RawHttp.concat(("HTTP/1.1 200 OK\r\nContent-Length: " + bytes.length + "\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1), bytes);
	}

	String address() {
		return "127.0.0.1:" + this.serverSocket.getLocalPort();
	}

	int accepted() {
		return this.accepted.get();
	}

	/** How many connection scripts returned normally (for {@link #keepAlive}: the client closed the connection). */
	int finished() {
		return this.finished.get();
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

}
