package io.micro4j.transport.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micro4j.metadata.Metadata;
import io.micro4j.transport.TransportHandler;
import io.micro4j.transport.TransportResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class ConnectionLimitsTests {

	private static final byte[] SLOW_HEADERS = ("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n"
			+ "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n{}")
		.getBytes(StandardCharsets.ISO_8859_1);

	private final List<Socket> sockets = new ArrayList<>();

	private HttpTransportServer server;

	private InetSocketAddress bound;

	@AfterEach
	void stop() throws IOException {
		for (Socket socket : this.sockets) {
			socket.close();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	private void start(ConnectionLimits limits, TransportHandler handler) {
		this.server = HttpTransportServer.builder().address("127.0.0.1:0").limits(limits).build();
		this.bound = this.server.start(handler);
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket(this.bound.getAddress(), this.bound.getPort());
		socket.setSoTimeout(10_000);
		this.sockets.add(socket);
		return socket;
	}

	private static TransportHandler ok() {
		return (request, local, remote) -> CompletableFuture
			.completedFuture(new TransportResponse(200, Metadata.empty(), "{}".getBytes(StandardCharsets.UTF_8)));
	}

	/** A handler whose answers wait for the test: each call's future is handed over in {@code calls}. */
	private static TransportHandler held(BlockingQueue<CompletableFuture<TransportResponse>> calls) {
		return (request, local, remote) -> {
			CompletableFuture<TransportResponse> future = new CompletableFuture<>();
			calls.add(future);
			return future;
		};
	}

	private static TransportResponse okResponse() {
		return new TransportResponse(200, Metadata.empty(), "{}".getBytes(StandardCharsets.UTF_8));
	}

	/** Whether the server closed {@code socket}: the read ends (after any answer) or is reset. */
	private static boolean closedByServer(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		try {
			while (in.read() != -1) {
				// the 408 or other answer before the close
			}
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (SocketException ex) {
			return true;
		}
	}

	private static int roundTrip(Socket socket) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(RawHttp.post("{}"));
		out.flush();
		return RawHttp.read(socket.getInputStream()).status();
	}

	@Test
	void whenTwoHundredClientsSendHeadersOneByteASecondThenAllAreClosedWithA408WithinTheHeaderTimeout()
			throws Exception {
		Duration headerTimeout = Duration.ofSeconds(3);
		start(ConnectionLimits.defaults().withReadHeaderTimeout(headerTimeout), ok());
		int count = 200;
		long[] opened = new long[count];
		long[] closed = new long[count];
		StringBuilder[] received = new StringBuilder[count];
		int[] sent = new int[count];
		List<SocketChannel> channels = new ArrayList<>();
		try (Selector selector = Selector.open()) {
			for (int i = 0; i < count; i++) {
				SocketChannel channel = SocketChannel.open(this.bound);
				opened[i] = System.nanoTime();
				channel.write(ByteBuffer.wrap(SLOW_HEADERS, 0, 1));
				sent[i] = 1;
				channel.configureBlocking(false);
				channel.register(selector, SelectionKey.OP_READ, i);
				channels.add(channel);
				received[i] = new StringBuilder();
			}
			ByteBuffer buffer = ByteBuffer.allocate(4096);
			int open = count;
			long start = System.nanoTime();
			long nextByte = start + TimeUnit.SECONDS.toNanos(1);
			long giveUp = start + headerTimeout.toNanos() + TimeUnit.SECONDS.toNanos(10);
			while (open > 0 && System.nanoTime() < giveUp) {
				selector.select(100);
				for (SelectionKey key : selector.selectedKeys()) {
					int i = (Integer) key.attachment();
					SocketChannel channel = (SocketChannel) key.channel();
					int n;
					try {
						buffer.clear();
						n = channel.read(buffer);
					}
					catch (IOException ex) {
						n = -1;
					}
					if (n > 0) {
						received[i].append(new String(buffer.array(), 0, n, StandardCharsets.ISO_8859_1));
					}
					else if (n < 0) {
						closed[i] = System.nanoTime();
						key.cancel();
						open--;
					}
				}
				selector.selectedKeys().clear();
				if (System.nanoTime() - nextByte >= 0) {
					nextByte += TimeUnit.SECONDS.toNanos(1);
					for (int i = 0; i < count; i++) {
						if (closed[i] == 0 && sent[i] < SLOW_HEADERS.length - 4) {
							try {
								channels.get(i).write(ByteBuffer.wrap(SLOW_HEADERS, sent[i], 1));
								sent[i]++;
							}
							catch (IOException ex) {
								// closed meanwhile; the selector sees the end
							}
						}
					}
				}
			}
			assertThat(open).as("connections still open").isZero();
		}
		finally {
			for (SocketChannel channel : channels) {
				channel.close();
			}
		}
		long longest = 0;
		long shortest = Long.MAX_VALUE;
		for (int i = 0; i < count; i++) {
			long lived = closed[i] - opened[i];
			longest = Math.max(longest, lived);
			shortest = Math.min(shortest, lived);
			assertThat(received[i].toString()).startsWith("HTTP/1.1 408 ").contains("Connection: close");
		}
		System.out.printf("slowloris: %d connections lived %d to %d ms (read-header timeout %d ms)%n", count,
				shortest / 1_000_000, longest / 1_000_000, headerTimeout.toMillis());
		assertThat(Duration.ofNanos(shortest)).isGreaterThanOrEqualTo(headerTimeout.minusMillis(500));
		assertThat(Duration.ofNanos(longest)).isLessThan(headerTimeout.plusSeconds(5));
		try (Socket socket = connect()) {
			assertThat(roundTrip(socket)).isEqualTo(200);
		}
	}

	@Test
	void whenAClientOpensAConnectionAndSendsNothingThenItIsClosedAfterTheHeaderTimeoutWithoutAnAnswer()
			throws Exception {
		start(ConnectionLimits.defaults().withReadHeaderTimeout(Duration.ofSeconds(1)), ok());
		Socket socket = connect();
		long start = System.nanoTime();
		assertThat(socket.getInputStream().read()).isEqualTo(-1);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
	}

	@Test
	void whenABodyStallsThenTheServerAnswers408AndCloses() throws Exception {
		start(ConnectionLimits.defaults().withReadTimeout(Duration.ofSeconds(1)), ok());
		Socket socket = connect();
		OutputStream out = socket.getOutputStream();
		out.write("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\n{\"a\"".getBytes(StandardCharsets.US_ASCII));
		out.flush();
		RawHttp.Message answer = RawHttp.read(socket.getInputStream());
		assertThat(answer.status()).isEqualTo(408);
		assertThat(answer.header("Micro-Error")).contains("go.micro.transport").contains("request body stalled");
		assertThat(closedByServer(socket)).isTrue();
	}

	@Test
	void whenABodyArrivesSlowlyButSteadilyThenItIsServed() throws Exception {
		start(ConnectionLimits.defaults().withReadTimeout(Duration.ofMillis(1500)), ok());
		Socket socket = connect();
		OutputStream out = socket.getOutputStream();
		out.write("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		out.flush();
		for (byte b : "[1,]".getBytes(StandardCharsets.US_ASCII)) {
			await().pollDelay(Duration.ofMillis(700)).until(() -> true);
			out.write(b);
			out.flush();
		}
		assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(200);
	}

	@Test
	void whenAKeptAliveConnectionIsIdleThenItIsClosedButOneWaitingForItsHandlerIsNot() throws Exception {
		BlockingQueue<CompletableFuture<TransportResponse>> calls = new LinkedBlockingQueue<>();
		Duration idleTimeout = Duration.ofSeconds(1);
		start(ConnectionLimits.defaults().withIdleTimeout(idleTimeout), held(calls));
		Socket busy = connect();
		busy.getOutputStream().write(RawHttp.post("{}"));
		busy.getOutputStream().flush();
		CompletableFuture<TransportResponse> busyCall = calls.poll(10, TimeUnit.SECONDS);
		assertThat(busyCall).isNotNull();

		Socket idle = connect();
		idle.getOutputStream().write(RawHttp.post("{}"));
		idle.getOutputStream().flush();
		CompletableFuture<TransportResponse> idleCall = calls.poll(10, TimeUnit.SECONDS);
		assertThat(idleCall).isNotNull();
		idleCall.complete(okResponse());
		assertThat(RawHttp.read(idle.getInputStream()).status()).isEqualTo(200);
		long idleSince = System.nanoTime();
		assertThat(closedByServer(idle)).isTrue();
		Duration idleLived = Duration.ofNanos(System.nanoTime() - idleSince);
		assertThat(idleLived).isGreaterThanOrEqualTo(idleTimeout.minusMillis(100)).isLessThan(idleTimeout.plusSeconds(5));

		await().during(idleTimeout.multipliedBy(2))
			.atMost(idleTimeout.multipliedBy(4))
			.until(() -> this.server.openConnections() == 1);
		busyCall.complete(okResponse());
		assertThat(RawHttp.read(busy.getInputStream()).status()).isEqualTo(200);
		assertThat(closedByServer(busy)).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.openConnections() == 0);
	}

	@Test
	void whenTheServerHoldsItsMaximumThenANewConnectionClosesTheLongestIdleOne() throws Exception {
		start(ConnectionLimits.defaults().withMaxConnections(5), ok());
		List<Socket> first = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Socket socket = connect();
			assertThat(roundTrip(socket)).isEqualTo(200);
			first.add(socket);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.openConnections() == 5);
		Socket fresh = connect();
		assertThat(roundTrip(fresh)).isEqualTo(200);
		assertThat(closedByServer(first.get(0))).isTrue();
		for (Socket socket : first.subList(1, 5)) {
			assertThat(roundTrip(socket)).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.openConnections() == 5);
	}

	@Test
	void whenTheServerHoldsItsMaximumAndNoneIsIdleThenTheNewConnectionIsClosedAndTheBusyOnesAnswer()
			throws Exception {
		BlockingQueue<CompletableFuture<TransportResponse>> calls = new LinkedBlockingQueue<>();
		start(ConnectionLimits.defaults().withMaxConnections(3), held(calls));
		List<Socket> busy = new ArrayList<>();
		List<CompletableFuture<TransportResponse>> pending = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Socket socket = connect();
			socket.getOutputStream().write(RawHttp.post("{}"));
			socket.getOutputStream().flush();
			CompletableFuture<TransportResponse> call = calls.poll(10, TimeUnit.SECONDS);
			assertThat(call).isNotNull();
			busy.add(socket);
			pending.add(call);
		}
		Socket refused = connect();
		assertThat(closedByServer(refused)).isTrue();
		pending.forEach(call -> call.complete(okResponse()));
		for (Socket socket : busy) {
			assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(200);
		}
		Socket fresh = connect();
		fresh.getOutputStream().write(RawHttp.post("{}"));
		fresh.getOutputStream().flush();
		CompletableFuture<TransportResponse> call = calls.poll(10, TimeUnit.SECONDS);
		assertThat(call).isNotNull();
		call.complete(okResponse());
		assertThat(RawHttp.read(fresh.getInputStream()).status()).isEqualTo(200);
	}

	@Test
	void whenLimitsAreInvalidThenTheyAreRefusedAtOnce() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConnectionLimits.defaults().withReadHeaderTimeout(Duration.ofSeconds(-1)))
			.withMessage("readHeaderTimeout: PT-1S (expected: >= 0)");
		assertThatIllegalArgumentException().isThrownBy(() -> ConnectionLimits.defaults().withMaxConnections(0))
			.withMessage("maxConnections: 0 (expected: > 0)");
	}

}
