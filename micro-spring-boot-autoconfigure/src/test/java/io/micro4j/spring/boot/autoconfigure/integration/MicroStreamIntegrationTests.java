package io.micro4j.spring.boot.autoconfigure.integration;

import java.util.ArrayList;
import java.util.List;

import io.micro4j.client.ClientStream;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Endpoint;
import io.micro4j.server.ServerStream;
import io.micro4j.spring.annotation.MicroClient;
import io.micro4j.spring.annotation.MicroHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams between Spring applications: a {@code @MicroHandler} with {@link ServerStream} endpoints on a service
 * running {@code micro.server.protocol=grpc}, called through a {@code @MicroClient} interface whose methods return
 * {@link ClientStream}.
 */
class MicroStreamIntegrationTests {

	private final MicroApps apps = new MicroApps();

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	@Test
	void aTypedClientOpensServerAndBidirectionalStreamsToAGrpcService() {
		this.apps.start(TickerApp.class, "spring.application.name=ticker", "micro.server.protocol=grpc");
		TickerClient ticker = this.apps.start(CallerApp.class, "micro.server.enabled=false").getBean(TickerClient.class);

		List<Integer> ticks = new ArrayList<>();
		try (ClientStream stream = ticker.watch(new Range(3))) {
			Tick tick;
			while ((tick = stream.receive(Tick.class)) != null) {
				ticks.add(tick.n());
			}
		}
		assertThat(ticks).containsExactly(0, 1, 2);

		try (ClientStream chat = ticker.chat(Metadata.of("X-Tenant", "acme"))) {
			chat.send(new Tick(41, ""));
			assertThat(chat.receive(Tick.class)).isEqualTo(new Tick(42, "acme"));
			chat.closeSend();
			assertThat(chat.receive(Tick.class)).isNull();
		}
	}

	@Test
	void streamingEndpointsAreAdvertisedWithStreamMetadata() {
		this.apps.start(TickerApp.class, "spring.application.name=ticker", "micro.server.protocol=grpc");

		List<Endpoint> endpoints = this.apps.registry().getService("ticker").get(0).endpoints();
		assertThat(endpoints).extracting(Endpoint::name).contains("Ticker.Watch", "Ticker.Chat");
		assertThat(endpoints).allSatisfy((e) -> assertThat(e.metadata()).containsEntry("stream", "true"));
	}

	public record Range(int count) {
	}

	public record Tick(int n, String tenant) {
	}

	@MicroHandler
	static class Ticker {

		public void watch(Range range, ServerStream stream) {
			for (int i = 0; i < range.count(); i++) {
				stream.send(new Tick(i, ""));
			}
		}

		public void chat(ServerStream stream) {
			Tick tick;
			while ((tick = stream.receive(Tick.class)) != null) {
				stream.send(new Tick(tick.n() + 1, stream.metadata().getOrNull("X-Tenant")));
			}
		}

	}

	@MicroClient("ticker")
	interface TickerClient {

		ClientStream watch(Range range);

		ClientStream chat(Metadata metadata);

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Ticker.class)
	static class TickerApp {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class CallerApp {

	}

}
