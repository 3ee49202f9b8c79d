package io.micro4j.transport.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Metadata;
import io.micro4j.transport.TransportHandler;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpTransportServerTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final int MIB = 1024 * 1024;

	private HttpTransportServer server;

	private InetSocketAddress bound;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	private void start(TransportHandler handler) {
		start(HttpTransportServer.builder().address("127.0.0.1:0"), handler);
	}

	private void start(HttpTransportServer.Builder builder, TransportHandler handler) {
		this.server = builder.build();
		this.bound = this.server.start(handler);
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket(this.bound.getAddress(), this.bound.getPort());
		socket.setSoTimeout((int) WAIT.toMillis());
		return socket;
	}

	/** Answers like go-micro's server: every request header echoed, then its own headers, then the body. */
	private static TransportHandler greeter(List<TransportRequest> seen, AtomicReference<InetSocketAddress[]> addresses) {
		return (request, local, remote) -> {
			seen.add(request);
			addresses.set(new InetSocketAddress[] { local, remote });
			Metadata headers = request.headers()
				.merge(Metadata.of("Micro-Id", "0", "Micro-Service", "greeter", "Micro-Method", "Greeter.Hello",
						"Micro-Endpoint", "Greeter.Hello", "Content-Type", "application/json"));
			return CompletableFuture.completedFuture(
					new TransportResponse(200, headers, "{\"msg\":\"Hello John\"}\n".getBytes(StandardCharsets.UTF_8)));
		};
	}

	private static TransportHandler ok(String body) {
		return (request, local, remote) -> CompletableFuture
			.completedFuture(new TransportResponse(200, Metadata.empty(), body.getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void whenGoMicroClientSendsUnaryCallThenHandlerSeesItsHeadersAndBodyAndTheResponseEchoesThem() throws Exception {
		List<TransportRequest> seen = new CopyOnWriteArrayList<>();
		AtomicReference<InetSocketAddress[]> addresses = new AtomicReference<>();
		start(greeter(seen, addresses));
		try (Socket socket = connect()) {
			socket.getOutputStream().write(RawHttp.goMicroUnaryCall("127.0.0.1:" + this.bound.getPort()));
			RawHttp.Message response = RawHttp.read(socket.getInputStream());

			assertThat(response.startLine()).isEqualTo("HTTP/1.1 200 OK");
			assertThat(response.body()).isEqualTo("{\"msg\":\"Hello John\"}\n".getBytes(StandardCharsets.UTF_8));
			assertThat(response.headerNames()).containsExactlyInAnyOrder("Accept", "Content-Length", "Content-Type",
					"Micro-Endpoint", "Micro-Id", "Micro-Method", "Micro-Service", "Timeout", "User-Agent");
			assertThat(response.header("Content-Length")).isEqualTo("21");
			assertThat(response.header("User-Agent")).isEqualTo("Go-http-client/1.1");
			assertThat(response.header("Timeout")).isEqualTo("5000000000");

			assertThat(seen).hasSize(1);
			TransportRequest request = seen.get(0);
			assertThat(request.body()).isEqualTo("{\"name\":\"John\"}\n".getBytes(StandardCharsets.UTF_8));
			assertThat(request.headers().keys()).containsExactlyInAnyOrder("Accept", "Content-Length", "Content-Type",
					"Micro-Endpoint", "Micro-Id", "Micro-Method", "Micro-Service", "Timeout", "User-Agent");
			assertThat(request.headers().asMap()).containsEntry("Micro-Endpoint", "Greeter.Hello")
				.containsEntry("Micro-Id", "0")
				.containsEntry("Content-Length", "16")
				.containsEntry("Timeout", "5000000000");
			assertThat(addresses.get()[0]).isEqualTo(this.bound);
			assertThat(addresses.get()[1].getPort()).isEqualTo(socket.getLocalPort());

			socket.getOutputStream().write(RawHttp.goMicroUnaryCall("127.0.0.1:" + this.bound.getPort()));
			assertThat(RawHttp.read(socket.getInputStream()).status()).as("same connection kept alive").isEqualTo(200);
		}
	}

	@Test
	void whenRequestHasATargetWithAQueryThenTheHandlerSeesItAndMucpCallsSeeSlash() throws Exception {
		List<TransportRequest> seen = new CopyOnWriteArrayList<>();
		start((request, local, remote) -> {
			seen.add(request);
			return CompletableFuture.completedFuture(new TransportResponse(200, Metadata.empty(), new byte[0]));
		});
		try (HttpTransportClient client = HttpTransportClient.builder().build()) {
			String address = "127.0.0.1:" + this.bound.getPort();
			client.send(address, new TransportRequest(Metadata.empty(), new byte[0], "/?id=events-1"), WAIT)
				.get(5, TimeUnit.SECONDS);
			client.send(address, new TransportRequest(Metadata.empty(), new byte[0]), WAIT).get(5, TimeUnit.SECONDS);
		}
		try (Socket socket = connect()) {
			socket.getOutputStream().write(RawHttp.goMicroUnaryCall("127.0.0.1:" + this.bound.getPort()));
			assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(200);
		}

		assertThat(seen).extracting(TransportRequest::target).containsExactly("/?id=events-1", "/", "/");
	}

	@Test
	void whenTargetIsNotAPathThenTheRequestIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TransportRequest(Metadata.empty(), new byte[0], "?id=1"))
			.withMessage("target: ?id=1 (expected: a path starting with /)");
	}

	@Test
	void whenHeaderNamesAreLowerCaseOrRepeatedThenMetadataHasCanonicalKeysAndFirstValues() throws Exception {
		BlockingQueue<TransportRequest> seen = new LinkedBlockingQueue<>();
		start((request, local, remote) -> {
			seen.add(request);
			return CompletableFuture.completedFuture(new TransportResponse(200, Metadata.empty(), new byte[0]));
		});
		try (Socket socket = connect()) {
			socket.getOutputStream()
				.write(RawHttp.post("{}", "micro-endpoint: Greeter.Hello", "x-b3-traceid: 1", "x-b3-traceid: 2",
						"TRACEPARENT: 00-abc-def-01"));
			assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(200);
		}
		Metadata headers = seen.poll(5, TimeUnit.SECONDS).headers();
		assertThat(headers.keys()).contains("Micro-Endpoint", "X-B3-Traceid", "Traceparent").doesNotContain("Host");
		assertThat(headers.asMap()).containsEntry("X-B3-Traceid", "1").containsEntry("Traceparent", "00-abc-def-01");
	}

	@Test
	void whenBodyExceedsLimitThenAnswers413AndNextRequestSucceeds() throws Exception {
		start(ok("fine"));
		int size = 5 * MIB;
		try (Socket socket = connect()) {
			OutputStream out = socket.getOutputStream();
			out.write(("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: " + size + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(new byte[size]);
			out.flush();
			InputStream in = socket.getInputStream();
			RawHttp.Message response = RawHttp.read(in);

			String expected = "{\"id\":\"go.micro.transport\",\"code\":413,"
					+ "\"detail\":\"request body too large: 5242880 bytes (limit 4194304)\","
					+ "\"status\":\"Request Entity Too Large\"}";
			assertThat(response.startLine()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
			assertThat(response.headerNames()).containsExactly("Micro-Error", "X-Micro-Error", "Content-Length",
					"Connection");
			assertThat(response.header("Micro-Error")).isEqualTo(expected);
			assertThat(response.header("X-Micro-Error")).isEqualTo(expected);
			assertThat(response.header("Content-Length")).isEqualTo("0");
			assertThat(response.header("Connection")).isEqualTo("close");
			assertThat(in.read()).as("connection closed after the 413").isEqualTo(-1);
		}
		try (Socket socket = connect()) {
			socket.getOutputStream().write(RawHttp.post("{\"name\":\"John\"}"));
			RawHttp.Message response = RawHttp.read(socket.getInputStream());
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.bodyText()).isEqualTo("fine");
		}
	}

	@Test
	void whenChunkedBodyExceedsLimitThenAnswers413WithTheBytesCountedSoFar() throws Exception {
		start(ok("fine"));
		try (Socket socket = connect()) {
			OutputStream out = socket.getOutputStream();
			out.write("POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
				.getBytes(StandardCharsets.ISO_8859_1));
			byte[] chunk = new byte[64 * 1024];
			for (int sent = 0; sent < 5 * MIB; sent += chunk.length) {
				out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
				out.write(chunk);
				out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
			}
			out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			RawHttp.Message response = RawHttp.read(in);

			assertThat(response.status()).isEqualTo(413);
			MicroException error = MicroException.parse(response.header("Micro-Error"));
			assertThat(error.id()).isEqualTo("go.micro.transport");
			assertThat(error.code()).isEqualTo(413);
			assertThat(error.status()).isEqualTo("Request Entity Too Large");
			assertThat(error.detail()).matches("request body too large: \\d+ bytes \\(limit 4194304\\)");
			long counted = Long.parseLong(error.detail().replaceAll("\\D*(\\d+) bytes.*", "$1"));
			assertThat(counted).isGreaterThan(4 * MIB).isLessThanOrEqualTo(5 * MIB);
			assertThat(response.header("Connection")).isEqualTo("close");
			assertThat(in.read()).isEqualTo(-1);
		}
		try (Socket socket = connect()) {
			socket.getOutputStream().write(RawHttp.post("again"));
			assertThat(RawHttp.read(socket.getInputStream()).bodyText()).isEqualTo("fine");
		}
	}

	@Test
	void whenOneConnectionSendsTooMuchThenAnotherOpenConnectionIsUndisturbed() throws Exception {
		start(HttpTransportServer.builder().address("127.0.0.1:0").maxBodySize(1024), ok("fine"));
		try (Socket bystander = connect(); Socket offender = connect()) {
			bystander.getOutputStream().write(RawHttp.post("one"));
			assertThat(RawHttp.read(bystander.getInputStream()).status()).isEqualTo(200);

			offender.getOutputStream().write(RawHttp.post("x".repeat(2048)));
			assertThat(RawHttp.read(offender.getInputStream()).status()).isEqualTo(413);

			bystander.getOutputStream().write(RawHttp.post("two"));
			RawHttp.Message response = RawHttp.read(bystander.getInputStream());
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.bodyText()).isEqualTo("fine");
		}
	}

	@Test
	void whenMethodIsNotPostThenAnswers405AndKeepsTheConnection() throws Exception {
		start(ok("fine"));
		try (Socket socket = connect()) {
			socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			RawHttp.Message response = RawHttp.read(socket.getInputStream());
			assertThat(response.status()).isEqualTo(405);
			assertThat(response.body()).isEmpty();
			assertThat(response.header("Connection")).isNull();
			MicroException error = MicroException.parse(response.header("Micro-Error"));
			assertThat(error.code()).isEqualTo(405);
			assertThat(error.id()).isEqualTo("go.micro.transport");
			assertThat(error.detail()).isEqualTo("method GET not allowed (expected: POST)");

			socket.getOutputStream().write(RawHttp.post("{}"));
			assertThat(RawHttp.read(socket.getInputStream()).bodyText()).isEqualTo("fine");
		}
	}

	@Test
	void whenRequestIsMalformedThenAnswers400AndCloses() throws Exception {
		start(ok("fine"));
		try (Socket socket = connect()) {
			socket.getOutputStream()
				.write("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: twelve\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			InputStream in = socket.getInputStream();
			RawHttp.Message response = RawHttp.read(in);
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.header("Connection")).isEqualTo("close");
			MicroException error = MicroException.parse(response.header("Micro-Error"));
			assertThat(error.code()).isEqualTo(400);
			assertThat(error.detail()).startsWith("malformed request: ");
			assertThat(in.read()).isEqualTo(-1);
		}
	}

	@Test
	void whenHandlerFailsThenAnswers500WithMicroErrorAndCloses() throws Exception {
		start((request, local, remote) -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
		try (Socket socket = connect()) {
			socket.getOutputStream().write(RawHttp.post("{}"));
			InputStream in = socket.getInputStream();
			RawHttp.Message response = RawHttp.read(in);
			assertThat(response.status()).isEqualTo(500);
			assertThat(response.header("Micro-Error")).isEqualTo(
					"{\"id\":\"go.micro.server\",\"code\":500,\"detail\":\"boom\",\"status\":\"Internal Server Error\"}");
			assertThat(response.header("X-Micro-Error")).isEqualTo(response.header("Micro-Error"));
			assertThat(response.header("Connection")).isEqualTo("close");
			assertThat(in.read()).isEqualTo(-1);
		}
	}

	@Test
	void whenHandlerThrowsOrAnswersAnInvalidStatusThenAnswers500() throws Exception {
		start((request, local, remote) -> {
			if (request.body().length == 1) {
				throw MicroException.badRequest("greeter", "thrown");
			}
			return CompletableFuture.completedFuture(new TransportResponse(42, Metadata.empty(), new byte[0]));
		});
		try (Socket socket = connect()) {
			socket.getOutputStream().write(RawHttp.post("x"));
			RawHttp.Message response = RawHttp.read(socket.getInputStream());
			assertThat(response.status()).isEqualTo(500);
			assertThat(response.header("Micro-Error"))
				.isEqualTo("{\"id\":\"greeter\",\"code\":400,\"detail\":\"thrown\",\"status\":\"Bad Request\"}");
		}
		try (Socket socket = connect()) {
			socket.getOutputStream().write(RawHttp.post("xy"));
			RawHttp.Message response = RawHttp.read(socket.getInputStream());
			assertThat(response.status()).isEqualTo(500);
			assertThat(MicroException.parse(response.header("Micro-Error")).detail()).contains("response status: 42");
		}
	}

	@Test
	void whenRequestsArePipelinedThenTheyAreServedOneAtATimeInOrder() throws Exception {
		BlockingQueue<CompletableFuture<TransportResponse>> pending = new LinkedBlockingQueue<>();
		BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
		start((request, local, remote) -> {
			CompletableFuture<TransportResponse> future = new CompletableFuture<>();
			bodies.add(new String(request.body(), StandardCharsets.UTF_8));
			pending.add(future);
			return future;
		});
		try (Socket socket = connect()) {
			socket.getOutputStream().write(RawHttp.concat(RawHttp.post("first"), RawHttp.post("second")));
			CompletableFuture<TransportResponse> first = pending.poll(5, TimeUnit.SECONDS);
			assertThat(bodies.poll()).isEqualTo("first");
			assertThat(pending.poll(200, TimeUnit.MILLISECONDS)).as("second waits for the first response").isNull();

			first.complete(new TransportResponse(200, Metadata.empty(), "1".getBytes(StandardCharsets.UTF_8)));
			CompletableFuture<TransportResponse> second = pending.poll(5, TimeUnit.SECONDS);
			assertThat(bodies.poll()).isEqualTo("second");
			second.complete(new TransportResponse(200, Metadata.empty(), "2".getBytes(StandardCharsets.UTF_8)));

			InputStream in = socket.getInputStream();
			assertThat(RawHttp.read(in).bodyText()).isEqualTo("1");
			assertThat(RawHttp.read(in).bodyText()).isEqualTo("2");
		}
	}

	@Test
	void whenManyRequestsArriveInOneWriteThenAllAreAnsweredInOrder() throws Exception {
		start((request, local, remote) -> CompletableFuture
			.completedFuture(new TransportResponse(200, Metadata.empty(), request.body())));
		int count = 2000;
		ByteArrayOutputStream requests = new ByteArrayOutputStream();
		for (int i = 0; i < count; i++) {
			requests.write(RawHttp.post(Integer.toString(i)));
		}
		try (Socket socket = connect()) {
			CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
				try {
					socket.getOutputStream().write(requests.toByteArray());
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
			InputStream in = new BufferedInputStream(socket.getInputStream());
			for (int i = 0; i < count; i++) {
				assertThat(RawHttp.read(in).bodyText()).isEqualTo(Integer.toString(i));
			}
			written.get(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void whenStoppedWithGraceThenInFlightRequestFinishesAndIdleConnectionsClose() throws Exception {
		CompletableFuture<TransportResponse> answer = new CompletableFuture<>();
		CompletableFuture<Void> called = new CompletableFuture<>();
		start((request, local, remote) -> {
			if (request.body().length == 0) {
				return CompletableFuture.completedFuture(new TransportResponse(200, Metadata.empty(), new byte[0]));
			}
			called.complete(null);
			return answer;
		});
		try (Socket busy = connect(); Socket idle = connect()) {
			idle.getOutputStream().write(RawHttp.post(""));
			assertThat(RawHttp.read(idle.getInputStream()).status()).isEqualTo(200);
			busy.getOutputStream().write(RawHttp.post("{}"));
			called.get(5, TimeUnit.SECONDS);

			CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> this.server.stop(Duration.ofSeconds(5)));
			assertThat(idle.getInputStream().read()).as("idle connection closed at once").isEqualTo(-1);
			assertThat(stopped).as("stop waits for the busy connection").isNotDone();
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(4))
				.untilAsserted(() -> assertThatThrownBy(
						() -> new Socket(this.bound.getAddress(), this.bound.getPort()).close())
					.as("no longer accepting")
					.isInstanceOf(ConnectException.class));

			answer.complete(new TransportResponse(200, Metadata.empty(), "done".getBytes(StandardCharsets.UTF_8)));
			RawHttp.Message response = RawHttp.read(busy.getInputStream());
			assertThat(response.bodyText()).isEqualTo("done");
			assertThat(response.header("Connection")).as("draining answers close").isEqualTo("close");
			stopped.get(5, TimeUnit.SECONDS);
			assertThat(busy.getInputStream().read()).as("busy connection closed after its response").isEqualTo(-1);
		}
		this.server.stop(Duration.ofSeconds(1));
	}

	@Test
	void whenGraceRunsOutThenStopClosesConnectionsStillBusy() throws Exception {
		CompletableFuture<Void> called = new CompletableFuture<>();
		start((request, local, remote) -> {
			called.complete(null);
			return new CompletableFuture<>();
		});
		try (Socket socket = connect()) {
			socket.getOutputStream().write(RawHttp.post("{}"));
			called.get(5, TimeUnit.SECONDS);
			long started = System.nanoTime();
			this.server.stop(Duration.ofMillis(100));
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
		}
	}

	@Test
	void whenStartedTwiceOrAfterStopThenStartFailsAndStopIsIdempotent() {
		start(ok("fine"));
		assertThatIllegalStateException().isThrownBy(() -> this.server.start(ok("again")))
			.withMessageContaining("already started");
		this.server.stop(Duration.ZERO);
		this.server.stop(Duration.ZERO);
		assertThatIllegalStateException().isThrownBy(() -> this.server.start(ok("again")))
			.withMessageContaining("already stopped");
	}

	@Test
	void whenPortIsTakenThenStartFailsWithTheAddress() {
		start(ok("fine"));
		HttpTransportServer second = HttpTransportServer.builder()
			.address("127.0.0.1:" + this.bound.getPort())
			.build();
		assertThatIllegalStateException().isThrownBy(() -> second.start(ok("second")))
			.withMessageStartingWith("cannot listen on 127.0.0.1:" + this.bound.getPort());
		second.close();
	}

	@Test
	void whenAddressHasNoHostThenServerListensOnAllInterfaces() throws Exception {
		start(HttpTransportServer.builder().address(":0"), ok("fine"));
		assertThat(this.bound.getAddress().isAnyLocalAddress()).isTrue();
		try (Socket socket = new Socket("127.0.0.1", this.bound.getPort())) {
			socket.getOutputStream().write(RawHttp.post("{}"));
			assertThat(RawHttp.read(socket.getInputStream()).bodyText()).isEqualTo("fine");
		}
	}

	@Test
	void whenBuilderGetsInvalidValuesThenItFailsAtOnce() {
		assertThatIllegalArgumentException().isThrownBy(() -> HttpTransportServer.builder().address("8080"))
			.withMessageContaining("address: \"8080\" (expected: host:port");
		assertThatIllegalArgumentException().isThrownBy(() -> HttpTransportServer.builder().address("::1:0"));
		assertThatIllegalArgumentException().isThrownBy(() -> HttpTransportServer.builder().maxBodySize(0))
			.withMessage("maxBodySize: 0 (expected: > 0)");
		assertThatIllegalArgumentException().isThrownBy(() -> HttpTransportServer.builder().ioThreads(-1));
	}

	@Test
	void whenExpectContinueIsSentThenServerAnswers100BeforeReadingTheBody() throws Exception {
		start(ok("fine"));
		try (Socket socket = connect()) {
			OutputStream out = socket.getOutputStream();
			out.write("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"
				.getBytes(StandardCharsets.ISO_8859_1));
			InputStream in = socket.getInputStream();
			assertThat(RawHttp.read(in).status()).isEqualTo(100);
			out.write("{}".getBytes(StandardCharsets.ISO_8859_1));
			assertThat(RawHttp.read(in).bodyText()).isEqualTo("fine");
		}
	}

}
