package io.micro4j.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import io.micro4j.transport.TlsOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts that need no peer; handshakes are tested by the NATS and RabbitMQ brokers against real servers. */
class FollowingSslContextTests {

	@Test
	void whenOptionsVerifyHostnamesThenEverySocketHasHttpsEndpointIdentification() throws Exception {
		FollowingSslContext context = FollowingSslContext.client(TlsOptions::defaults);

		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
			assertThat(socket.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
			assertThat(socket.getUseClientMode()).isTrue();
		}
		assertThat(context.createSSLEngine("127.0.0.1", 443).getSSLParameters().getEndpointIdentificationAlgorithm())
			.isEqualTo("HTTPS");
	}

	@Test
	void whenTheSupplierChangesThenTheNextSocketFollowsItWithTheSameFactory() throws Exception {
		TlsOptions first = TlsOptions.builder().protocols(List.of("TLSv1.3")).build();
		TlsOptions second = TlsOptions.builder().verifyHostname(false).protocols(List.of("TLSv1.2")).build();
		AtomicReference<TlsOptions> current = new AtomicReference<>(first);
		FollowingSslContext context = FollowingSslContext.client(current::get);
		SSLSocketFactory factory = context.getSocketFactory();

		try (SSLSocket socket = (SSLSocket) factory.createSocket()) {
			assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3");
		}
		current.set(second);
		assertThat(context.getSocketFactory()).isSameAs(factory);
		assertThat(context.options()).isSameAs(second);
		try (SSLSocket socket = (SSLSocket) factory.createSocket()) {
			assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.2");
			assertThat(socket.getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
		}
		assertThat(context.hasCertificate()).isFalse();
	}

	@Test
	void whenTheContextIsInitialisedOrAskedForAServerThenItRefuses() {
		FollowingSslContext context = FollowingSslContext.client(TlsOptions::defaults);

		assertThatThrownBy(() -> context.init(null, null, null)).hasMessageContaining("takes its keys from its TLS");
		assertThatThrownBy(context::getServerSocketFactory).isInstanceOf(UnsupportedOperationException.class);
	}

}
