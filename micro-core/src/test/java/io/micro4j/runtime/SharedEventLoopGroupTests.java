package io.micro4j.runtime;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.http.HttpBroker;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.transport.TransportHandler;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import io.micro4j.transport.http.HttpTransportClient;
import io.micro4j.transport.http.HttpTransportServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Transport servers, transport clients and HTTP brokers sharing one runtime's threads. */
class SharedEventLoopGroupTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final TransportHandler ECHO = (request, local, remote) -> CompletableFuture
		.completedFuture(new TransportResponse(200, Metadata.empty(), request.body()));

	private final MicroRuntime runtime = MicroRuntime.builder().ioThreads(2).threadNamePrefix("shared-").build();

	@AfterEach
	void closeRuntime() {
		this.runtime.close();
	}

	@Test
	void serverAndClientOnOneGroupTalkAndClosingOneLeavesTheGroupToTheOther() throws Exception {
		HttpTransportServer first = server();
		HttpTransportServer second = server();
		String firstAddress = address(first.start(ECHO));
		String secondAddress = address(second.start(ECHO));
		try (HttpTransportClient client = client()) {
			assertThat(call(client, firstAddress)).isEqualTo("hello");
			first.stop(Duration.ZERO);
			assertThat(this.runtime.eventLoopGroup().isShuttingDown()).isFalse();
			assertThat(call(client, secondAddress)).isEqualTo("hello");
		}
		assertThat(this.runtime.eventLoopGroup().isShuttingDown()).isFalse();
		try (HttpTransportClient another = client()) {
			assertThat(call(another, secondAddress)).isEqualTo("hello");
		}
		second.stop(Duration.ZERO);
		assertThat(this.runtime.eventLoopGroup().isShuttingDown()).isFalse();
		assertThat(threads("micro4j-http-")).isZero();
	}

	@Test
	void ioRunsOnTheRuntimesThreads() throws Exception {
		List<String> threads = new CopyOnWriteArrayList<>();
		HttpTransportServer server = server();
		String address = address(server.start((request, local, remote) -> {
			threads.add(Thread.currentThread().getName());
			return ECHO.handle(request, local, remote);
		}));
		try (HttpTransportClient client = client()) {
			call(client, address);
		}
		finally {
			server.stop(Duration.ZERO);
		}
		assertThat(threads).allMatch((name) -> name.startsWith("shared-io-"));
	}

	@Test
	void brokersOnOneRuntimeDeliverAndClosingOneLeavesTheRuntimeToTheOther() {
		try (MemoryRegistry registry = new MemoryRegistry()) {
			HttpBroker first = broker(registry);
			HttpBroker second = broker(registry);
			List<String> received = new CopyOnWriteArrayList<>();
			second.subscribe("events", (event) -> received.add(new String(event.message().body(), StandardCharsets.UTF_8)),
					SubscribeOptions.defaults());
			first.publish("events", new Message(Metadata.empty(), "one".getBytes(StandardCharsets.UTF_8)));
			await().atMost(WAIT).until(() -> received.contains("one"));
			first.close();
			assertThat(this.runtime.eventLoopGroup().isShuttingDown()).isFalse();
			assertThat(this.runtime.timer().isShutdown()).isFalse();
			assertThat(this.runtime.handlerExecutor().isShutdown()).isFalse();
			HttpBroker third = broker(registry);
			third.publish("events", new Message(Metadata.empty(), "two".getBytes(StandardCharsets.UTF_8)));
			await().atMost(WAIT).until(() -> received.contains("two"));
			third.close();
			second.close();
			assertThat(threads("micro-http-broker-")).isZero();
			assertThat(threads("micro4j-http-")).isZero();
		}
	}

	private HttpTransportServer server() {
		return HttpTransportServer.builder()
			.address("127.0.0.1:0")
			.eventLoopGroup(this.runtime.eventLoopGroup())
			.build();
	}

	private HttpTransportClient client() {
		return HttpTransportClient.builder()
			.eventLoopGroup(this.runtime.eventLoopGroup())
			.resolverExecutor(this.runtime.handlerExecutor())
			.build();
	}

	private HttpBroker broker(MemoryRegistry registry) {
		return HttpBroker.builder(registry)
			.address("127.0.0.1:0")
			.eventLoopGroup(this.runtime.eventLoopGroup())
			.scheduler(this.runtime.timer())
			.executor(this.runtime.handlerExecutor())
			.build();
	}

	private static String call(HttpTransportClient client, String address) throws Exception {
		TransportRequest request = new TransportRequest(Metadata.empty(), "hello".getBytes(StandardCharsets.UTF_8));
		TransportResponse response = client.send(address, request, WAIT).get(5, TimeUnit.SECONDS);
		return new String(response.body(), StandardCharsets.UTF_8);
	}

	private static String address(InetSocketAddress bound) {
		return "127.0.0.1:" + bound.getPort();
	}

	private static long threads(String prefix) {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().startsWith(prefix)).count();
	}

}
