package io.micro4j.test.tls;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Node;
import io.micro4j.test.tls.TestCertificates.Identity;
import io.micro4j.transport.TlsHandshakeException;
import io.micro4j.transport.TlsOptions;
import io.micro4j.transport.TlsOptions.ClientAuth;
import io.micro4j.transport.TransportHandler;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import io.micro4j.transport.http.HttpTransportClient;
import io.micro4j.transport.http.HttpTransportServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * mucp over TLS on real sockets, with certificates made by keytool: plaintext refused, TLS and mTLS calls, the
 * errors of bad certificates, and certificates replaced while the server runs.
 */
class HttpTransportTlsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final TransportHandler HELLO = (request, local, remote) -> CompletableFuture
		.completedFuture(new TransportResponse(200, Metadata.empty(), "hello".getBytes(StandardCharsets.UTF_8)));

	private final TestCertificates certificates = TestCertificates.shared();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
	}

	private TlsOptions serverOptions(Identity identity, ClientAuth clientAuth) {
		return TlsOptions.builder()
			.keyManagerFactory(identity.keyManagerFactory())
			.trustManagerFactory(this.certificates.trustManagerFactory())
			.clientAuth(clientAuth)
			.build();
	}

	private TlsOptions trustingClient() {
		return TlsOptions.builder().trustManagerFactory(this.certificates.trustManagerFactory()).build();
	}

	private TlsOptions clientWith(Identity identity) {
		return TlsOptions.builder()
			.keyManagerFactory(identity.keyManagerFactory())
			.trustManagerFactory(this.certificates.trustManagerFactory())
			.build();
	}

	private Node start(HttpTransportServer.Builder builder) {
		HttpTransportServer server = builder.address("127.0.0.1:0").build();
		InetSocketAddress bound = server.start(HELLO);
		this.closeables.add(server);
		return new Node("tls-node", "127.0.0.1:" + bound.getPort(), server.nodeMetadata());
	}

	private Node startTls(Identity identity, ClientAuth clientAuth) {
		return start(HttpTransportServer.builder().tls(serverOptions(identity, clientAuth)));
	}

	private HttpTransportClient client(TlsOptions options) {
		HttpTransportClient client = HttpTransportClient.builder().tls(options).build();
		this.closeables.add(client);
		return client;
	}

	private static TransportResponse call(HttpTransportClient client, Node node) throws Exception {
		return client.send(node, new TransportRequest(Metadata.empty(), new byte[0]), TIMEOUT)
			.get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
	}

	private static Throwable failure(HttpTransportClient client, Node node) throws Exception {
		try {
			TransportResponse response = call(client, node);
			throw new AssertionError("expected a failure, got status " + response.status());
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
	}

	@Test
	void tlsServerSaysSecureInItsNodeMetadata() {
		Node node = startTls(this.certificates.server(), ClientAuth.NONE);
		assertThat(node.metadata()).containsEntry("secure", "true").containsEntry("transport", "http");
		Node plain = start(HttpTransportServer.builder());
		assertThat(plain.metadata()).doesNotContainKey("secure");
	}

	@Test
	void tlsCallToASecureNodeSucceedsAndItsConnectionIsReused() throws Exception {
		Node node = startTls(this.certificates.server(), ClientAuth.NONE);
		HttpTransportClient client = client(trustingClient());
		assertThat(call(client, node).body()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
		assertThat(call(client, node).status()).isEqualTo(200);
	}

	@Test
	void plaintextRequestToATlsServerGetsA400MicroErrorThatSaysSo() throws Exception {
		Node node = startTls(this.certificates.server(), ClientAuth.NONE);
		HttpTransportClient client = client(trustingClient());
		Node plaintext = new Node(node.id(), node.address(), Map.of());
		TransportResponse response = call(client, plaintext);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.headers().getOrNull("Micro-Error")).contains("\"code\":400")
			.contains("client sent an HTTP request to a TLS server");
		assertThat(call(client, node).status()).as("the server still serves TLS clients").isEqualTo(200);
	}

	@Test
	void tlsToAPlaintextNodeFailsWithAClearError() throws Exception {
		Node plain = start(HttpTransportServer.builder());
		Throwable failure = failure(client(trustingClient()), plain.withMetadata("secure", "true"));
		assertThat(failure).isInstanceOf(TlsHandshakeException.class)
			.hasMessageContaining("TLS handshake failed")
			.hasMessageContaining("does not speak TLS");
	}

	@Test
	void expiredServerCertificateFailsWithAClearError() throws Exception {
		Node node = startTls(this.certificates.expiredServer(), ClientAuth.NONE);
		assertThat(failure(client(trustingClient()), node)).isInstanceOf(TlsHandshakeException.class)
			.hasMessageContaining("dial " + node.address())
			.hasMessageContaining("the server's certificate has expired");
	}

	@Test
	void serverCertificateForAnotherHostFailsWithAClearErrorUnlessVerificationIsOff() throws Exception {
		Node node = startTls(this.certificates.wrongHostServer(), ClientAuth.NONE);
		assertThat(failure(client(trustingClient()), node)).isInstanceOf(TlsHandshakeException.class)
			.hasMessageContaining("the server's certificate does not name 127.0.0.1");
		HttpTransportClient lenient = client(TlsOptions.builder()
			.trustManagerFactory(this.certificates.trustManagerFactory())
			.verifyHostname(false)
			.build());
		assertThat(call(lenient, node).status()).isEqualTo(200);
	}

	@Test
	void serverCertificateFromAnUnknownCaFailsWithAClearErrorAndTheClientStillCallsGoodNodes() throws Exception {
		Node bad = startTls(this.certificates.unknownCaServer(), ClientAuth.NONE);
		Node good = startTls(this.certificates.server(), ClientAuth.NONE);
		HttpTransportClient client = client(trustingClient());
		assertThat(failure(client, bad)).isInstanceOf(TlsHandshakeException.class)
			.hasMessageContaining("the server's certificate is not issued by a CA this client trusts");
		assertThat(call(client, good).status()).isEqualTo(200);
	}

	@Test
	void clientAuthNeedRefusesAClientWithoutCertificateAndAcceptsOneFromTheCa() throws Exception {
		Node node = startTls(this.certificates.server(), ClientAuth.NEED);
		assertThat(failure(client(trustingClient()), node)).isInstanceOf(TlsHandshakeException.class)
			.hasMessageContaining("the server requires a client certificate and this client has none");
		assertThat(call(client(clientWith(this.certificates.client())), node).status()).isEqualTo(200);
	}

	@Test
	void clientAuthNeedRefusesExpiredAndUnknownClientCertificatesAndKeepsServingGoodClients() throws Exception {
		Node node = startTls(this.certificates.server(), ClientAuth.NEED);
		HttpTransportClient good = client(clientWith(this.certificates.client()));
		for (Identity bad : List.of(this.certificates.expiredServer(), this.certificates.unknownCaClient())) {
			assertThat(failure(client(clientWith(bad)), node)).isInstanceOf(TlsHandshakeException.class)
				.hasMessageContaining("the server refused this client's certificate");
			assertThat(call(good, node).status()).isEqualTo(200);
		}
	}

	@Test
	void clientAuthWantServesClientsWithAndWithoutCertificates() throws Exception {
		Node node = startTls(this.certificates.server(), ClientAuth.WANT);
		assertThat(call(client(trustingClient()), node).status()).isEqualTo(200);
		assertThat(call(client(clientWith(this.certificates.client())), node).status()).isEqualTo(200);
	}

	@Test
	void newOptionsFromTheSupplierApplyToNewConnectionsWithoutRestart() throws Exception {
		AtomicReference<TlsOptions> current = new AtomicReference<>(
				serverOptions(this.certificates.expiredServer(), ClientAuth.NONE));
		Node node = start(HttpTransportServer.builder().tls(current::get));
		HttpTransportClient client = client(trustingClient());
		assertThat(failure(client, node)).hasMessageContaining("has expired");
		current.set(serverOptions(this.certificates.server(), ClientAuth.NONE));
		assertThat(call(client, node).status()).isEqualTo(200);
	}

	@Test
	void serverWithoutCertificateDoesNotStart() {
		HttpTransportServer server = HttpTransportServer.builder()
			.address("127.0.0.1:0")
			.tls(TlsOptions.builder().build())
			.build();
		this.closeables.add(server);
		assertThatIllegalStateException().isThrownBy(() -> server.start(HELLO))
			.withMessageContaining("a TLS server needs a certificate");
	}

}
