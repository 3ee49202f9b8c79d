package io.micro4j.test.tls;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.http.HttpBroker;
import io.micro4j.client.CallOptions;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.selector.SelectionStrategy;
import io.micro4j.server.DefaultServer;
import io.micro4j.transport.TlsOptions;
import io.micro4j.transport.TlsOptions.ClientAuth;
import io.micro4j.transport.http.HttpTransportClient;
import io.micro4j.transport.http.HttpTransportServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fleet in one registry where some nodes speak TLS: servers advertise {@code secure=true}, one client calls TLS and
 * plaintext nodes alike, and the http broker delivers to a TLS listener over mTLS.
 */
class TlsFleetTests {

	private final TestCertificates certificates = TestCertificates.shared();

	private final MemoryRegistry registry = new MemoryRegistry();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
	}

	public record Hello(String name) {
	}

	public record Reply(String node) {
	}

	/** Says which node answered. */
	public static final class Greeter {

		private final String node;

		private final Map<String, Integer> calls;

		Greeter(String node, Map<String, Integer> calls) {
			this.node = node;
			this.calls = calls;
		}

		public Reply hello(Hello hello) {
			this.calls.merge(this.node, 1, Integer::sum);
			return new Reply(this.node);
		}

	}

	private TlsOptions serverTls() {
		return TlsOptions.builder()
			.keyManagerFactory(this.certificates.server().keyManagerFactory())
			.trustManagerFactory(this.certificates.trustManagerFactory())
			.clientAuth(ClientAuth.NEED)
			.build();
	}

	private TlsOptions clientTls() {
		return TlsOptions.builder()
			.keyManagerFactory(this.certificates.client().keyManagerFactory())
			.trustManagerFactory(this.certificates.trustManagerFactory())
			.build();
	}

	private void server(String node, HttpTransportServer.Builder transport, Map<String, Integer> calls) {
		DefaultServer server = DefaultServer.builder("greeter")
			.id(node)
			.registry(this.registry)
			.transport(transport.address("127.0.0.1:0").build())
			.build();
		server.handle(new Greeter(node, calls));
		server.start();
		this.closeables.add(server);
	}

	@Test
	void oneClientCallsTlsAndPlaintextNodesOfOneServiceEachTheirWay() {
		Map<String, Integer> calls = new ConcurrentHashMap<>();
		server("tls-node", HttpTransportServer.builder().tls(serverTls()), calls);
		server("plain-node", HttpTransportServer.builder(), calls);
		Map<String, Map<String, String>> metadata = new ConcurrentHashMap<>();
		this.registry.getService("greeter")
			.forEach((service) -> service.nodes().forEach((node) -> metadata.put(node.id(), node.metadata())));
		assertThat(metadata.get("greeter-tls-node")).containsEntry("secure", "true").containsEntry("protocol", "mucp");
		assertThat(metadata.get("greeter-plain-node")).doesNotContainKey("secure");

		RegistryCache cache = RegistryCache.builder(this.registry).build();
		HttpTransportClient transport = HttpTransportClient.builder().tls(clientTls()).build();
		DefaultClient client = DefaultClient
			.builder(DefaultSelector.builder(cache).strategy(SelectionStrategy.roundRobin()).build(), transport)
			.registry(cache)
			.build();
		this.closeables.add(cache);
		this.closeables.add(transport);
		this.closeables.add(client);
		CallOptions options = CallOptions.builder().retries(0).requestTimeout(Duration.ofSeconds(10)).build();
		for (int i = 0; i < 6; i++) {
			client.call(Request.of("greeter", "Greeter.Hello", new Hello("x")), Reply.class, options);
		}
		assertThat(calls).containsEntry("tls-node", 3).containsEntry("plain-node", 3);
	}

	@Test
	void httpBrokerWithATlsListenerRegistersSecureAndReceivesOverMutualTls() throws Exception {
		HttpBroker subscriber = HttpBroker.builder(this.registry)
			.address("127.0.0.1:0")
			.listenerTls(this::serverTls)
			.build();
		HttpBroker publisher = HttpBroker.builder(this.registry).clientTls(this::clientTls).build();
		this.closeables.add(subscriber);
		this.closeables.add(publisher);
		BlockingQueue<String> received = new ArrayBlockingQueue<>(4);
		subscriber.subscribe("events",
				(event) -> received.add(new String(event.message().body(), StandardCharsets.UTF_8)),
				SubscribeOptions.defaults());
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(publisher.subscriberNodes("events"))
			.singleElement()
			.satisfies((node) -> assertThat(node.metadata()).containsEntry("secure", "true")));

		publisher.publish("events", new Message(Metadata.empty(), "hi".getBytes(StandardCharsets.UTF_8)));
		assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("hi");
	}

}
