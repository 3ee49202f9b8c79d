package io.micro4j.transport.http;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Metadata;
import io.micro4j.transport.ConnectFailedException;
import io.micro4j.transport.TransportHandler;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

class HttpTransportClientTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final Metadata GO_MICRO_HEADERS = Metadata.of("Accept", "application/json", "Content-Type",
			"application/json", "Micro-Endpoint", "Greeter.Hello", "Micro-Id", "0", "Micro-Method", "Greeter.Hello",
			"Micro-Service", "greeter", "Timeout", "5000000000");

	private static final byte[] JOHN = "{\"name\":\"John\"}\n".getBytes(StandardCharsets.UTF_8);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void closeResources() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private HttpTransportClient client(HttpTransportClient.Builder builder) {
		HttpTransportClient client = builder.build();
		this.resources.add(client);
		return client;
	}

	private HttpTransportClient client() {
		return client(HttpTransportClient.builder().ioThreads(2));
	}

	/** Starts a server on loopback and returns its {@code host:port}. */
	private String server(TransportHandler handler) {
		HttpTransportServer server = HttpTransportServer.builder().address("127.0.0.1:0").ioThreads(2).build();
		this.resources.add(server);
		InetSocketAddress bound = server.start(handler);
		return "127.0.0.1:" + bound.getPort();
	}

	private ScriptedServer scripted(ScriptedServer.Script script) throws Exception {
		ScriptedServer server = new ScriptedServer(script);
		this.resources.add(server);
		return server;
	}

	/** A handler answering 200 with the request body, recording the client ports it saw. */
	private static TransportHandler echo(Set<Integer> remotePorts) {
		return (request, local, remote) -> {
			remotePorts.add(remote.getPort());
			return CompletableFuture.completedFuture(new TransportResponse(200, request.headers(), request.body()));
		};
	}

	private static TransportRequest request(String body) {
		return new TransportRequest(GO_MICRO_HEADERS, body.getBytes(StandardCharsets.UTF_8));
	}

	private static Throwable failure(CompletableFuture<?> future) {
		Throwable thrown = catchThrowable(() -> future.get(5, TimeUnit.SECONDS));
		assertThat(thrown).isInstanceOf(ExecutionException.class);
		return thrown.getCause();
	}

	@Test
	void whenClientSendsThenTheServerSeesExactlyTheHeaderNamesGoMicroSends() throws Exception {
		BlockingQueue<RawHttp.Message> captured = new LinkedBlockingQueue<>();
		ScriptedServer raw = scripted((socket, number) -> {
			captured.add(RawHttp.read(socket.getInputStream()));
			socket.getOutputStream().write(ScriptedServer.response200("{\"msg\":\"Hello John\"}\n"));
		});
		HttpTransportClient client = client();

		TransportResponse response = client.send(raw.address(), new TransportRequest(GO_MICRO_HEADERS, JOHN), WAIT)
			.get(5, TimeUnit.SECONDS);

		RawHttp.Message request = captured.poll(5, TimeUnit.SECONDS);
		assertThat(request.startLine()).isEqualTo("POST / HTTP/1.1");
		assertThat(request.headerNames()).containsExactlyInAnyOrder("Host", "User-Agent", "Content-Length", "Accept",
				"Content-Type", "Micro-Endpoint", "Micro-Id", "Micro-Method", "Micro-Service", "Timeout");
		assertThat(request.header("Host")).isEqualTo(raw.address());
		assertThat(request.header("User-Agent")).isEqualTo("micro4j/1.0");
		assertThat(request.header("Content-Length")).isEqualTo("16");
		assertThat(request.header("Micro-Endpoint")).isEqualTo("Greeter.Hello");
		assertThat(request.header("Timeout")).isEqualTo("5000000000");
		assertThat(request.body()).isEqualTo(JOHN);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"msg\":\"Hello John\"}\n".getBytes(StandardCharsets.UTF_8));
		assertThat(response.headers().asMap()).containsEntry("Content-Length", "21");
	}

	@Test
	void whenRequestCarriesFramingHeadersThenTheyAreNotCopiedButUserAgentIs() throws Exception {
		BlockingQueue<RawHttp.Message> captured = new LinkedBlockingQueue<>();
		ScriptedServer raw = scripted((socket, number) -> {
			captured.add(RawHttp.read(socket.getInputStream()));
			socket.getOutputStream().write(ScriptedServer.response200(""));
		});
		Metadata headers = Metadata.of("Host", "elsewhere:1", "Content-Length", "999", "Transfer-Encoding", "chunked",
				"User-Agent", "Go-http-client/1.1", "Micro-Id", "7");

		client().send(raw.address(), new TransportRequest(headers, JOHN), WAIT).get(5, TimeUnit.SECONDS);

		RawHttp.Message request = captured.poll(5, TimeUnit.SECONDS);
		assertThat(request.headerNames()).containsExactlyInAnyOrder("Host", "User-Agent", "Content-Length", "Micro-Id");
		assertThat(request.header("Host")).isEqualTo(raw.address());
		assertThat(request.header("Content-Length")).isEqualTo("16");
		assertThat(request.header("User-Agent")).isEqualTo("Go-http-client/1.1");
	}

	@Test
	void whenSendingSequentiallyThenOneConnectionIsReused() throws Exception {
		Set<Integer> remotePorts = ConcurrentHashMap.newKeySet();
		String address = server(echo(remotePorts));
		HttpTransportClient client = client();

		for (int i = 0; i < 20; i++) {
			TransportResponse response = client.send(address, request("call " + i), WAIT).get(5, TimeUnit.SECONDS);
			assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("call " + i);
		}

		assertThat(remotePorts).hasSize(1);
		assertThat(client.idleConnections(address)).isEqualTo(1);
	}

	@Test
	void whenSendingConcurrentlyThenSeveralConnectionsAreOpenedAndThenPooled() throws Exception {
		Set<Integer> remotePorts = ConcurrentHashMap.newKeySet();
		List<CompletableFuture<TransportResponse>> held = new CopyOnWriteArrayList<>();
		int parallel = 4;
		String address = server((request, local, remote) -> {
			remotePorts.add(remote.getPort());
			CompletableFuture<TransportResponse> answer = new CompletableFuture<>();
			held.add(answer);
			if (held.size() == parallel) {
				held.forEach(f -> f.complete(new TransportResponse(200, Metadata.empty(), new byte[0])));
			}
			return answer;
		});
		HttpTransportClient client = client();

		List<CompletableFuture<TransportResponse>> calls = new ArrayList<>();
		for (int i = 0; i < parallel; i++) {
			calls.add(client.send(address, request("{}"), WAIT));
		}
		CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

		assertThat(remotePorts).hasSize(parallel);
		assertThat(client.idleConnections(address)).isEqualTo(parallel);
	}

	@Test
	void whenManyCallsOverlapThenEachGetsItsOwnResponseAndConnectionsStayBounded() throws Exception {
		Set<Integer> remotePorts = ConcurrentHashMap.newKeySet();
		ExecutorService workers = Executors.newFixedThreadPool(4);
		this.resources.add(workers::shutdownNow);
		String address = server((request, local, remote) -> {
			remotePorts.add(remote.getPort());
			return CompletableFuture.supplyAsync(
					() -> new TransportResponse(200, Metadata.of("Micro-Id", request.headers().getOrNull("Micro-Id")),
							request.body()),
					workers);
		});
		HttpTransportClient client = client();
		int total = 2000;
		int window = 32;
		Semaphore permits = new Semaphore(window);
		List<CompletableFuture<Boolean>> results = new ArrayList<>();
		for (int i = 0; i < total; i++) {
			permits.acquire();
			String id = Integer.toString(i);
			results.add(client.send(address, new TransportRequest(Metadata.of("Micro-Id", id), JOHN), WAIT)
				.whenComplete((response, failure) -> permits.release())
				.thenApply(response -> id.equals(response.headers().getOrNull("Micro-Id"))
						&& Arrays.equals(response.body(), JOHN)));
		}
		CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

		assertThat(results).allSatisfy(result -> assertThat(result.join()).isTrue());
		assertThat(remotePorts.size()).isBetween(1, window);
	}

	@Test
	void whenIdleLongerThanPoolTtlThenConnectionIsClosedAndTheNextCallConnectsAgain() throws Exception {
		ScriptedServer raw = scripted(ScriptedServer.keepAlive("ok"));
		HttpTransportClient client = client(HttpTransportClient.builder().ioThreads(1).poolTtl(Duration.ofMillis(200)));

		client.send(raw.address(), request("{}"), WAIT).get(5, TimeUnit.SECONDS);
		assertThat(client.idleConnections(raw.address())).isEqualTo(1);

		await().atMost(WAIT).until(() -> raw.finished() == 1);
		assertThat(client.idleConnections(raw.address())).isZero();

		client.send(raw.address(), request("{}"), WAIT).get(5, TimeUnit.SECONDS);
		assertThat(raw.accepted()).isEqualTo(2);
	}

	@Test
	void whenPoolIsFullThenExtraConnectionsAreClosed() throws Exception {
		Set<Integer> remotePorts = ConcurrentHashMap.newKeySet();
		List<CompletableFuture<TransportResponse>> held = new CopyOnWriteArrayList<>();
		String address = server((request, local, remote) -> {
			remotePorts.add(remote.getPort());
			CompletableFuture<TransportResponse> answer = new CompletableFuture<>();
			held.add(answer);
			if (held.size() == 3) {
				held.forEach(f -> f.complete(new TransportResponse(200, Metadata.empty(), new byte[0])));
			}
			return answer;
		});
		HttpTransportClient client = client(HttpTransportClient.builder().ioThreads(1).poolSize(1));

		CompletableFuture.allOf(client.send(address, request("a"), WAIT), client.send(address, request("b"), WAIT),
				client.send(address, request("c"), WAIT))
			.get(5, TimeUnit.SECONDS);

		assertThat(remotePorts).hasSize(3);
		assertThat(client.idleConnections(address)).isEqualTo(1);
	}

	@Test
	void whenConnectionIsRefusedThenConnectFailedException() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		HttpTransportClient client = client();

		Throwable failure = failure(client.send("127.0.0.1:" + port, request("{}"), WAIT));

		assertThat(failure).isInstanceOf(ConnectFailedException.class);
		MicroException error = (MicroException) failure;
		assertThat(error.id()).isEqualTo("go.micro.client.transport");
		assertThat(error.code()).isEqualTo(500);
		assertThat(error.detail()).startsWith("dial 127.0.0.1:" + port + ": ");
	}

	/**
	 * A listener whose accept queue is full and never drained: Linux drops further SYNs, so connecting to it hangs
	 * until a timeout.
	 */
	private String unresponsiveAddress() throws Exception {
		ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		this.resources.add(listener);
		InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
		for (int i = 0; i < 10; i++) {
			Socket filler = new Socket();
			this.resources.add(filler);
			try {
				filler.connect(address, 200);
			}
			catch (SocketTimeoutException ex) {
				return "127.0.0.1:" + listener.getLocalPort();
			}
		}
		throw new IllegalStateException("could not fill the accept queue of " + address);
	}

	@Test
	void whenConnectTakesLongerThanTheDialTimeoutThenConnectFailedException() throws Exception {
		String address = unresponsiveAddress();
		HttpTransportClient client = client(HttpTransportClient.builder().ioThreads(1).dialTimeout(Duration.ofMillis(200)));

		Throwable failure = failure(client.send(address, request("{}"), WAIT));

		assertThat(failure).isInstanceOf(ConnectFailedException.class);
		assertThat(((MicroException) failure).detail()).startsWith("dial " + address + ": ").contains("timed out");
	}

	@Test
	void whenTheCallTimeoutPassesWhileConnectingThenTimeout408() throws Exception {
		String address = unresponsiveAddress();
		HttpTransportClient client = client();

		Throwable failure = failure(client.send(address, request("{}"), Duration.ofMillis(200)));

		assertThat(failure).isNotInstanceOf(ConnectFailedException.class);
		assertThat(((MicroException) failure).code()).isEqualTo(408);
	}

	@Test
	void whenAddressIsNotHostPortOrHostIsUnknownThenConnectFailedException() {
		HttpTransportClient client = client();

		assertThat(failure(client.send("no-port", request("{}"), WAIT))).isInstanceOf(ConnectFailedException.class);
		assertThat(failure(client.send("no-such-host.invalid:8080", request("{}"), WAIT)))
			.isInstanceOf(ConnectFailedException.class);
	}

	@Test
	void whenHandlerNeverAnswersThenTimeout408AndTheConnectionIsNotReused() throws Exception {
		List<Integer> remotePorts = new CopyOnWriteArrayList<>();
		String address = server((request, local, remote) -> {
			remotePorts.add(remote.getPort());
			if (new String(request.body(), StandardCharsets.UTF_8).equals("hang")) {
				return new CompletableFuture<>();
			}
			return CompletableFuture.completedFuture(new TransportResponse(200, Metadata.empty(), new byte[0]));
		});
		HttpTransportClient client = client();

		Throwable failure = failure(client.send(address, request("hang"), Duration.ofMillis(200)));

		assertThat(failure).isInstanceOf(MicroException.class).isNotInstanceOf(ConnectFailedException.class);
		MicroException error = (MicroException) failure;
		assertThat(error.code()).isEqualTo(408);
		assertThat(error.id()).isEqualTo("go.micro.client");
		assertThat(error.detail()).isEqualTo("call timeout: request to " + address + " timed out after 200ms");
		assertThat(client.idleConnections(address)).isZero();

		assertThat(client.send(address, request("fine"), WAIT).get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
		assertThat(remotePorts).hasSize(2);
		assertThat(remotePorts.get(1)).isNotEqualTo(remotePorts.get(0));
	}

	@Test
	void whenServerClosesTheConnectionMidRequestThenTransportErrorNotConnectFailed() throws Exception {
		ScriptedServer raw = scripted((socket, number) -> {
			InputStream in = socket.getInputStream();
			while (!RawHttp.readLine(in).isEmpty()) {
				// read the request head, then hang up without answering
			}
		});
		HttpTransportClient client = client();

		Throwable failure = failure(client.send(raw.address(), request("{}"), WAIT));

		assertThat(failure).isInstanceOf(MicroException.class).isNotInstanceOf(ConnectFailedException.class);
		MicroException error = (MicroException) failure;
		assertThat(error.code()).isEqualTo(500);
		assertThat(error.id()).isEqualTo("go.micro.client.transport");
		assertThat(error.detail()).contains(raw.address());
	}

	@Test
	void whenServerClosesTheConnectionMidResponseThenTransportError() throws Exception {
		ScriptedServer raw = scripted((socket, number) -> {
			RawHttp.read(socket.getInputStream());
			socket.getOutputStream()
				.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial".getBytes(StandardCharsets.ISO_8859_1));
		});
		HttpTransportClient client = client();

		Throwable failure = failure(client.send(raw.address(), request("{}"), WAIT));

		assertThat(failure).isInstanceOf(MicroException.class).isNotInstanceOf(ConnectFailedException.class);
		assertThat(((MicroException) failure).code()).isEqualTo(500);
		assertThat(client.idleConnections(raw.address())).isZero();
	}

	@Test
	void whenResponseExceedsTheLimitThenTransportErrorAndTheConnectionIsClosed() throws Exception {
		String address = server((request, local, remote) -> CompletableFuture
			.completedFuture(new TransportResponse(200, Metadata.empty(), new byte[2048])));
		HttpTransportClient client = client(HttpTransportClient.builder().ioThreads(1).maxResponseSize(1024));

		Throwable failure = failure(client.send(address, request("{}"), WAIT));

		assertThat(failure).isInstanceOf(MicroException.class);
		assertThat(((MicroException) failure).code()).isEqualTo(500);
		assertThat(((MicroException) failure).detail())
			.isEqualTo("response from " + address + " too large: 2048 bytes (limit 1024)");
		assertThat(client.idleConnections(address)).isZero();
	}

	@Test
	void whenServerAnswersConnectionCloseThenTheConnectionIsNotPooled() throws Exception {
		Set<Integer> remotePorts = ConcurrentHashMap.newKeySet();
		String address = server(echo(remotePorts));
		HttpTransportClient client = client();
		TransportRequest closing = new TransportRequest(Metadata.of("Connection", "close"), new byte[0]);

		TransportResponse first = client.send(address, closing, WAIT).get(5, TimeUnit.SECONDS);
		assertThat(first.headers().asMap()).containsEntry("Connection", "close");
		assertThat(client.idleConnections(address)).isZero();
		client.send(address, request("{}"), WAIT).get(5, TimeUnit.SECONDS);

		assertThat(remotePorts).hasSize(2);
	}

	@Test
	void whenBodyIsOverTheServerLimitThenTheClientReads413() throws Exception {
		String address = server(echo(ConcurrentHashMap.newKeySet()));
		HttpTransportClient client = client();

		TransportResponse response = client.send(address, new TransportRequest(GO_MICRO_HEADERS, new byte[5 * 1024 * 1024]),
				WAIT)
			.get(5, TimeUnit.SECONDS);

		assertThat(response.status()).isEqualTo(413);
		MicroException error = MicroException.parse(response.headers().getOrNull("Micro-Error"));
		assertThat(error.code()).isEqualTo(413);
		assertThat(error.detail()).isEqualTo("request body too large: 5242880 bytes (limit 4194304)");
		assertThat(client.send(address, request("{}"), WAIT).get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
	}

	@Test
	void whenHeaderValueIsNotAsciiThenItTravelsAsUtf8BothWays() throws Exception {
		BlockingQueue<TransportRequest> seen = new LinkedBlockingQueue<>();
		String address = server((request, local, remote) -> {
			seen.add(request);
			Metadata headers = Metadata.of("Micro-Error", MicroException.badRequest("greeter", "bad name «Jöhn» ✓").toJson());
			return CompletableFuture.completedFuture(new TransportResponse(200, headers, new byte[0]));
		});
		HttpTransportClient client = client();

		TransportResponse response = client
			.send(address, new TransportRequest(Metadata.of("X-Name", "Jöhn ✓"), new byte[0]), WAIT)
			.get(5, TimeUnit.SECONDS);

		assertThat(seen.poll(5, TimeUnit.SECONDS).headers().getOrNull("X-Name")).isEqualTo("Jöhn ✓");
		assertThat(MicroException.parse(response.headers().getOrNull("Micro-Error")).detail())
			.isEqualTo("bad name «Jöhn» ✓");
	}

	@Test
	void whenClientIsClosedThenInFlightAndLaterSendsFailClearly() throws Exception {
		CompletableFuture<Void> called = new CompletableFuture<>();
		String address = server((request, local, remote) -> {
			called.complete(null);
			return new CompletableFuture<>();
		});
		HttpTransportClient client = client();
		CompletableFuture<TransportResponse> inFlight = client.send(address, request("{}"), WAIT);
		called.get(5, TimeUnit.SECONDS);

		client.close();
		client.close();

		Throwable failure = failure(inFlight);
		assertThat(failure).isInstanceOf(MicroException.class);
		assertThat(((MicroException) failure).detail()).contains("closed");
		assertThat(failure(client.send(address, request("{}"), WAIT))).isInstanceOf(IllegalStateException.class)
			.hasMessage("HttpTransportClient is closed");
	}

	@Test
	void whenCallerCancelsThenTheConnectionIsClosedNotPooled() throws Exception {
		CompletableFuture<Void> requestRead = new CompletableFuture<>();
		ScriptedServer raw = scripted((socket, number) -> {
			RawHttp.read(socket.getInputStream());
			requestRead.complete(null);
			if (socket.getInputStream().read() != -1) {
				throw new IllegalStateException("expected the client to close the connection");
			}
		});
		HttpTransportClient client = client();
		CompletableFuture<TransportResponse> call = client.send(raw.address(), request("{}"), WAIT);
		requestRead.get(5, TimeUnit.SECONDS);

		call.cancel(false);

		await().atMost(WAIT).until(() -> raw.finished() == 1);
		assertThat(client.idleConnections(raw.address())).isZero();
	}

	@Test
	void whenTimeoutIsNotPositiveThenTheSendTimesOutAtOnce() {
		Throwable failure = failure(client().send("127.0.0.1:1", request("{}"), Duration.ZERO));

		assertThat(((MicroException) failure).code()).isEqualTo(408);
		assertThat(((MicroException) failure).detail()).endsWith("timed out after 0s");
	}

	@Test
	void whenBuilderGetsInvalidValuesThenItFailsAtOnce() {
		assertThatIllegalArgumentException().isThrownBy(() -> HttpTransportClient.builder().poolSize(-1))
			.withMessage("poolSize: -1 (expected: >= 0)");
		assertThatIllegalArgumentException().isThrownBy(() -> HttpTransportClient.builder().poolTtl(Duration.ZERO))
			.withMessage("poolTtl: PT0S (expected: > 0)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HttpTransportClient.builder().dialTimeout(Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> HttpTransportClient.builder().maxResponseSize(0));
		assertThatIllegalArgumentException().isThrownBy(() -> HttpTransportClient.builder().ioThreads(-1));
	}

}
