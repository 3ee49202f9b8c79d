package io.micro4j.grpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.micro4j.client.ClientStream;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Node;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.selector.SelectionStrategy;
import io.micro4j.server.DefaultServer;
import io.micro4j.server.ServerStream;
import io.micro4j.test.tls.TestCertificates;
import io.micro4j.test.tls.TestCertificates.Identity;
import io.micro4j.transport.TlsHandshakeException;
import io.micro4j.transport.TlsOptions;
import io.micro4j.transport.TlsOptions.ClientAuth;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import io.micro4j.transport.http.HttpTransportClient;
import io.micro4j.transport.http.internal.TlsContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * gRPC over TLS on real sockets with certificates made by keytool: micro handlers on a TLS gRPC port (secure=true,
 * plaintext refused), the micro client choosing TLS per node in a mixed fleet, the errors of bad certificates, a
 * stream over TLS, certificates replaced while running, and {@code micro:///} channels that choose per node too.
 */
class GrpcTlsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final TestCertificates certificates = TestCertificates.shared();

	private final MemoryRegistry registry = new MemoryRegistry();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private RegistryCache cache;

	private DefaultSelector selector;

	public record HelloRequest(String name) {
	}

	public record HelloResponse(String msg) {
	}

	public record Item(int n) {
	}

	/** A greeter that says which node answered, and a server stream. */
	public static class Greeter {

		private final String node;

		public Greeter(String node) {
			this.node = node;
		}

		public HelloResponse hello(HelloRequest request) {
			return new HelloResponse(this.node + ": Hello " + request.name());
		}

		public void count(Item upTo, ServerStream stream) {
			for (int i = 1; i <= upTo.n(); i++) {
				stream.send(new Item(i));
			}
		}

	}

	@BeforeEach
	void start() {
		this.cache = RegistryCache.builder(this.registry).build();
		this.selector = DefaultSelector.builder(this.cache).strategy(SelectionStrategy.roundRobin()).build();
	}

	@AfterEach
	void close() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		this.selector.close();
		this.cache.close();
		this.registry.close();
	}

	/** A micro server named "greeter" on a gRPC port, TLS with {@code tls} unless it is null; returns its node. */
	private Node serve(String name, java.util.function.@org.jspecify.annotations.Nullable Supplier<TlsOptions> tls) {
		DefaultServer server = DefaultServer.builder("greeter")
			.address("127.0.0.1:0")
			.registry(this.registry)
			.deregisterDelay(Duration.ZERO)
			.transport(GrpcTransportServer.builder().address("127.0.0.1:0").tls(tls).build())
			.build();
		server.handle(new Greeter(name));
		server.start();
		this.closeables.add(server::stop);
		return server.service().nodes().get(0);
	}

	private Node serveTls(String name, Identity identity, ClientAuth clientAuth) {
		TlsOptions options = this.certificates.serverTls(identity, clientAuth);
		return serve(name, () -> options);
	}

	private GrpcTransportClient transport(TlsOptions options) {
		return transport(() -> options);
	}

	private GrpcTransportClient transport(java.util.function.Supplier<TlsOptions> options) {
		GrpcTransportClient transport = GrpcTransportClient.builder().tls(options).build();
		this.closeables.add(transport);
		return transport;
	}

	private DefaultClient client(GrpcTransportClient transport) {
		HttpTransportClient http = HttpTransportClient.builder().build();
		DefaultClient client = DefaultClient.builder(this.selector, http)
			.transport("grpc", transport)
			.registry(this.cache)
			.build();
		this.closeables.add(http);
		this.closeables.add(client);
		return client;
	}

	private static String hello(DefaultClient client) {
		return client.call(Request.of("greeter", "Greeter.Hello", new HelloRequest("John")), HelloResponse.class).msg();
	}

	private static TransportResponse call(GrpcTransportClient transport, Node node) throws Exception {
		TransportRequest request = new TransportRequest(Metadata.of("Micro-Service", "greeter", "Micro-Endpoint",
				"Greeter.Hello", "Content-Type", "application/json"),
				"{\"name\":\"Ann\"}".getBytes(StandardCharsets.UTF_8));
		return transport.send(node, request, TIMEOUT).get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
	}

	private static String answer(GrpcTransportClient transport, Node node) throws Exception {
		TransportResponse response = call(transport, node);
		assertThat(response.headers().getOrNull("Micro-Error")).as("micro error").isNull();
		return new String(response.body(), StandardCharsets.UTF_8);
	}

	private static Throwable failure(GrpcTransportClient transport, Node node) throws Exception {
		try {
			TransportResponse response = call(transport, node);
			throw new AssertionError("expected a failure, got " + response.headers());
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
	}

	@Test
	void aTlsGrpcNodeSaysSecureAndServesTlsCallsOverOneConnection() throws Exception {
		Node node = serveTls("tls", this.certificates.server(), ClientAuth.NONE);
		Node plain = serve("plain", null);
		assertThat(node.metadata()).containsEntry("secure", "true").containsEntry("protocol", "grpc");
		assertThat(plain.metadata()).doesNotContainKey("secure");

		GrpcTransportClient transport = transport(this.certificates.clientTls());
		for (int i = 0; i < 3; i++) {
			assertThat(answer(transport, node)).contains("tls: Hello Ann");
		}
		assertThat(transport.openConnections()).isEqualTo(1);
	}

	@Test
	void aPlaintextClientIsRefusedByATlsNodeWhichKeepsServingTlsClients() throws Exception {
		Node node = serveTls("tls", this.certificates.server(), ClientAuth.NONE);
		GrpcTransportClient transport = transport(this.certificates.clientTls());
		Node asPlaintext = new Node(node.id(), node.address(), GrpcTransportServer.NODE_METADATA);

		assertThat(failure(transport, asPlaintext)).isInstanceOf(io.micro4j.transport.ConnectionBrokenException.class);
		ManagedChannel plaintextChannel = Grpc.newChannelBuilder(node.address(), InsecureChannelCredentials.create())
			.build();
		this.closeables.add(plaintextChannel::shutdownNow);
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> ClientCalls.blockingUnaryCall(plaintextChannel, GreeterGrpc.HELLO,
					CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hi"))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
		assertThat(answer(transport, node)).contains("tls: Hello Ann");
	}

	@Test
	void inAMixedFleetTheClientCallsTheTlsNodeWithTlsAndThePlaintextNodeInPlaintext() {
		serveTls("tls-node", this.certificates.server(), ClientAuth.NONE);
		serve("plain-node", null);
		DefaultClient client = client(transport(this.certificates.clientTls()));
		// a node the client has not probed yet gets calls only once the probe found it reachable
		Set<String> seen = ConcurrentHashMap.newKeySet();
		await().atMost(Duration.ofSeconds(10)).until(() -> seen.add(hello(client)) && seen.size() == 2);

		Map<String, Integer> answers = new TreeMap<>();
		for (int i = 0; i < 20; i++) {
			answers.merge(hello(client), 1, Integer::sum);
		}

		assertThat(answers).isEqualTo(Map.of("plain-node: Hello John", 10, "tls-node: Hello John", 10));
	}

	@Test
	void badServerCertificatesFailWithClearRetryableErrorsAndGoodNodesStillAnswer() throws Exception {
		Node good = serveTls("good", this.certificates.server(), ClientAuth.NONE);
		Node expired = serveTls("expired", this.certificates.expiredServer(), ClientAuth.NONE);
		Node wrongHost = serveTls("wrong-host", this.certificates.wrongHostServer(), ClientAuth.NONE);
		Node unknownCa = serveTls("unknown-ca", this.certificates.unknownCaServer(), ClientAuth.NONE);
		GrpcTransportClient transport = transport(this.certificates.clientTls());

		assertThat(failure(transport, expired)).isInstanceOf(TlsHandshakeException.class)
			.hasMessageContaining("dial " + expired.address())
			.hasMessageContaining("the server's certificate has expired");
		assertThat(failure(transport, wrongHost)).isInstanceOf(TlsHandshakeException.class)
			.hasMessageContaining("the server's certificate does not name 127.0.0.1");
		assertThat(failure(transport, unknownCa)).isInstanceOf(TlsHandshakeException.class)
			.hasMessageContaining("the server's certificate is not issued by a CA this client trusts");
		assertThat(answer(transport, good)).contains("good: Hello Ann");

		GrpcTransportClient lenient = transport(TlsOptions.builder()
			.trustManagerFactory(this.certificates.trustManagerFactory())
			.verifyHostname(false)
			.build());
		assertThat(answer(lenient, wrongHost)).as("hostname verification off").contains("wrong-host: Hello Ann");
	}

	@Test
	void tlsToAPlaintextNodeFailsAsAHandshakeThatSaysSo() throws Exception {
		Node plain = serve("plain", null);

		assertThat(failure(transport(this.certificates.clientTls()), plain.withMetadata("secure", "true")))
			.isInstanceOf(TlsHandshakeException.class)
			.hasMessageContaining("does not speak TLS");
	}

	@Test
	void clientAuthNeedRefusesClientsWithoutAGoodCertificateAndKeepsServingGoodOnes() throws Exception {
		Node node = serveTls("mtls", this.certificates.server(), ClientAuth.NEED);
		GrpcTransportClient good = transport(this.certificates.clientTls(this.certificates.client()));

		assertThat(failure(transport(this.certificates.clientTls()), node)).isInstanceOf(TlsHandshakeException.class)
			.hasMessageContaining("the server requires a client certificate and this client has none");
		assertThat(answer(good, node)).contains("mtls: Hello Ann");
		assertThat(failure(transport(this.certificates.clientTls(this.certificates.unknownCaClient())), node))
			.isInstanceOf(TlsHandshakeException.class)
			.hasMessageContaining("the server refused this client's certificate");
		assertThat(answer(good, node)).contains("mtls: Hello Ann");
	}

	@Test
	void aFailedHandshakeIsRetriedOnAnotherNodeByTheClient() {
		serveTls("expired", this.certificates.expiredServer(), ClientAuth.NONE);
		serveTls("good", this.certificates.server(), ClientAuth.NONE);
		DefaultClient client = client(transport(this.certificates.clientTls()));

		for (int i = 0; i < 6; i++) {
			assertThat(hello(client)).isEqualTo("good: Hello John");
		}
	}

	@Test
	void aServerStreamRunsOverTls() {
		serveTls("tls", this.certificates.server(), ClientAuth.NEED);
		DefaultClient client = client(transport(this.certificates.clientTls(this.certificates.client())));

		List<Integer> received = new ArrayList<>();
		try (ClientStream stream = client.stream(new Request("greeter", "Greeter.Count", new Object(), null,
				Metadata.empty()))) {
			stream.send(new Item(50));
			stream.closeSend();
			Item item;
			while ((item = stream.receive(Item.class)) != null) {
				received.add(item.n());
			}
		}

		assertThat(received).hasSize(50).startsWith(1, 2, 3).endsWith(50);
	}

	@Test
	void newServerCertificatesApplyToNewConnectionsWithoutRestart() throws Exception {
		AtomicReference<TlsOptions> current = new AtomicReference<>(
				this.certificates.serverTls(this.certificates.expiredServer(), ClientAuth.NONE));
		Node node = serve("reloading", current::get);
		assertThat(failure(transport(this.certificates.clientTls()), node)).isInstanceOf(TlsHandshakeException.class)
			.hasMessageContaining("expired");

		current.set(this.certificates.serverTls(this.certificates.server(), ClientAuth.NONE));

		assertThat(answer(transport(this.certificates.clientTls()), node)).contains("reloading: Hello Ann");
	}

	@Test
	void newClientTrustAppliesToNewConnectionsWhileOpenOnesKeepTheirs() throws Exception {
		Node node = serveTls("tls", this.certificates.server(), ClientAuth.NONE);
		AtomicReference<TlsOptions> current = new AtomicReference<>(TlsOptions.defaults());
		GrpcTransportClient transport = transport(current::get);
		assertThat(failure(transport, node)).as("the JDK's CAs do not include the test CA")
			.isInstanceOf(TlsHandshakeException.class)
			.hasMessageContaining("not issued by a CA this client trusts");

		current.set(this.certificates.clientTls());

		assertThat(answer(transport, node)).contains("tls: Hello Ann");
	}

	@Test
	void theServerContextFollowsItsSupplier() {
		AtomicReference<TlsOptions> current = new AtomicReference<>(
				this.certificates.serverTls(this.certificates.server(), ClientAuth.NONE));
		TlsContexts contexts = TlsContexts.forServer(current::get, GrpcTls::server);
		io.netty.handler.ssl.SslContext following = GrpcTls.following(contexts::current);
		io.netty.handler.ssl.SslContext first = contexts.current();
		assertThat(following.applicationProtocolNegotiator().protocols()).containsExactly("h2");
		assertThat(following.isServer()).isTrue();

		current.set(this.certificates.serverTls(this.certificates.server(), ClientAuth.NEED));

		assertThat(contexts.current()).isNotSameAs(first);
		assertThat(following.newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT).getNeedClientAuth())
			.as("an engine of the new context").isTrue();
	}

	@Test
	void aMicroChannelCallsTlsNodesWithTlsAndPlaintextNodesInPlaintext() throws Exception {
		AtomicInteger tlsCalls = new AtomicInteger();
		AtomicInteger plainCalls = new AtomicInteger();
		Server tls = grpcServer("tls", this.certificates.serverTls(this.certificates.server(), ClientAuth.NEED), tlsCalls);
		Server plain = grpcServer("plain", null, plainCalls);
		register("tls", tls, true);
		register("plain", plain, false);
		MicroDiscovery discovery = MicroDiscovery.of(this.cache, this.selector);
		ManagedChannel channel = Grpc
			.newChannelBuilder("micro:///greeter",
					MicroChannelCredentials.create(() -> this.certificates.clientTls(this.certificates.client())))
			.setNameResolverArg(MicroDiscovery.ARG, discovery)
			.build();
		this.closeables.add(channel::shutdownNow);

		Map<String, Integer> answers = new TreeMap<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			answers.merge(ClientCalls.blockingUnaryCall(channel, GreeterGrpc.HELLO,
					CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hi"), 1, Integer::sum);
			return answers.size() == 2;
		});
		for (int i = 0; i < 20; i++) {
			answers.merge(ClientCalls.blockingUnaryCall(channel, GreeterGrpc.HELLO,
					CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hi"), 1, Integer::sum);
		}

		assertThat(answers).containsOnlyKeys("tls", "plain");
		assertThat(tlsCalls.get()).isGreaterThanOrEqualTo(10);
		assertThat(plainCalls.get()).isGreaterThanOrEqualTo(10);
	}

	@Test
	void aMicroChannelLeavesOutANodeWhoseHandshakeFailsAndSaysWhyWhenNoneIsLeft() throws Exception {
		Server expired = grpcServer("expired", this.certificates.serverTls(this.certificates.expiredServer(), ClientAuth.NONE),
				new AtomicInteger());
		register("expired", expired, true);
		ManagedChannel channel = microChannel(this.certificates.clientTls());

		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> channelHello(channel))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
			.withMessageContaining("dial 127.0.0.1:" + expired.getPort() + ": TLS handshake failed")
			.withMessageContaining("the server's certificate has expired");

		Server good = grpcServer("good", this.certificates.serverTls(this.certificates.server(), ClientAuth.NONE),
				new AtomicInteger());
		register("good", good, true);
		await()
			.atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.until(() -> channelHello(channel), "good"::equals);
		for (int i = 0; i < 10; i++) {
			assertThat(channelHello(channel)).isEqualTo("good");
		}
	}

	@Test
	void aMicroChannelWithoutAClientCertificateIsToldSoByAnMtlsNode() throws Exception {
		Server mtls = grpcServer("mtls", this.certificates.serverTls(this.certificates.server(), ClientAuth.NEED),
				new AtomicInteger());
		register("mtls", mtls, true);

		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> channelHello(microChannel(this.certificates.clientTls())))
			.withMessageContaining("the server requires a client certificate and this client has none");
		assertThat(channelHello(microChannel(this.certificates.clientTls(this.certificates.client())))).isEqualTo("mtls");
	}

	private ManagedChannel microChannel(TlsOptions options) {
		ManagedChannel channel = Grpc.newChannelBuilder("micro:///greeter", MicroChannelCredentials.create(() -> options))
			.setNameResolverArg(MicroDiscovery.ARG, MicroDiscovery.of(this.cache, this.selector))
			.build();
		this.closeables.add(channel::shutdownNow);
		return channel;
	}

	private static String channelHello(ManagedChannel channel) {
		return ClientCalls.blockingUnaryCall(channel, GreeterGrpc.HELLO,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hi");
	}

	/** A protobuf-style gRPC server answering {@code name}, TLS with {@code tls} unless it is null. */
	private Server grpcServer(String name, @org.jspecify.annotations.Nullable TlsOptions tls, AtomicInteger calls)
			throws Exception {
		NettyServerBuilder builder = NettyServerBuilder.forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
			.addService(io.grpc.ServerServiceDefinition.builder("greeter.Greeter")
				.addMethod(GreeterGrpc.HELLO, io.grpc.stub.ServerCalls.asyncUnaryCall((request, response) -> {
					calls.incrementAndGet();
					response.onNext(name);
					response.onCompleted();
				}))
				.build());
		if (tls != null) {
			builder.sslContext(TlsContexts.forServer(() -> tls, GrpcTls::server).current());
		}
		Server server = builder.build().start();
		this.closeables.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
		return server;
	}

	private void register(String name, Server server, boolean secure) {
		this.registry.register(Service.of("greeter", "latest", List.of(new Node("greeter-" + name,
				"127.0.0.1:" + server.getPort(), GrpcTls.nodeMetadata(secure)))), Duration.ZERO);
	}

}
