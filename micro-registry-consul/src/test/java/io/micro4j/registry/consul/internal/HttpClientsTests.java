package io.micro4j.registry.consul.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import io.micro4j.transport.TlsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Consul HTTP client follows its options supplier: a new client (new SSL context) for new options only. */
class HttpClientsTests {

	private final ExecutorService executor = Executors.newCachedThreadPool();

	@AfterEach
	void shutDown() {
		this.executor.shutdownNow();
	}

	@Test
	void whenTheSupplierReturnsNewOptionsThenTheNextCallGetsANewClient() {
		AtomicReference<TlsOptions> options = new AtomicReference<>(TlsOptions.builder().build());
		HttpClients clients = HttpClients.following(options::get, Duration.ofSeconds(1), this.executor);
		HttpClient first = clients.get();

		assertThat(clients.get()).isSameAs(first);
		options.set(TlsOptions.builder().protocols(List.of("TLSv1.3")).build());
		HttpClient second = clients.get();

		assertThat(second).isNotSameAs(first);
		assertThat(second.sslContext()).isNotSameAs(first.sslContext());
		assertThat(second.sslParameters().getProtocols()).containsExactly("TLSv1.3");
	}

	@Test
	void whenReloadedOptionsCannotBeUsedThenThePreviousClientStays() {
		AtomicReference<TlsOptions> options = new AtomicReference<>(TlsOptions.builder().build());
		HttpClients clients = HttpClients.following(options::get, Duration.ofSeconds(1), this.executor);
		HttpClient first = clients.get();

		options.set(TlsOptions.builder().verifyHostname(false).build());

		assertThat(clients.get()).isSameAs(first);
	}

}
