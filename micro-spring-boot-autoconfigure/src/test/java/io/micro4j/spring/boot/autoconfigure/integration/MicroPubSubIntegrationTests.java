package io.micro4j.spring.boot.autoconfigure.integration;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import io.micro4j.metadata.Metadata;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.EventListener;
import io.micro4j.spring.boot.autoconfigure.integration.Greeting.GreetingEvent;
import io.micro4j.spring.client.MicroPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @MicroSubscriber} methods in one application receive what {@code MicroPublisher} publishes in another,
 * through one shared broker.
 */
class MicroPubSubIntegrationTests {

	private final MicroApps apps = new MicroApps();

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	@Test
	void whenPublisherPublishesWithMetadataThenSubscriberReceivesPayloadAndHeaders() {
		EventListener listener = this.apps.start(ListenerApp.class, "spring.application.name=listener")
			.getBean(EventListener.class);
		MicroPublisher publisher = this.apps.start(PublisherApp.class, "micro.server.enabled=false")
			.getBean(MicroPublisher.class);

		publisher.publish("greeter.events", new GreetingEvent("1", "Hello John"), Metadata.of("x-tenant", "acme"));

		await().atMost(Duration.ofSeconds(10)).until(() -> listener.events.size() == 1);
		assertThat(listener.events.get(0)).isEqualTo(new GreetingEvent("1", "Hello John"));
		Metadata headers = listener.headers.get(0);
		assertThat(headers.get("X-Tenant")).contains("acme");
		assertThat(headers.get("Micro-Topic")).contains("greeter.events");
		assertThat(headers.get("Content-Type")).contains("application/json");
		assertThat(headers.get("Micro-Id")).isPresent();
	}

	@Test
	void whenSubscribersShareAQueueThenEachMessageGoesToOneOfThem() {
		EventListener first = this.apps.start(ListenerApp.class, "spring.application.name=listener", "listener.queue=workers")
			.getBean(EventListener.class);
		EventListener second = this.apps.start(ListenerApp.class, "spring.application.name=listener", "listener.queue=workers")
			.getBean(EventListener.class);
		MicroPublisher publisher = this.apps.start(PublisherApp.class, "micro.server.enabled=false")
			.getBean(MicroPublisher.class);

		for (int i = 0; i < 20; i++) {
			publisher.publish("greeter.events", new GreetingEvent(Integer.toString(i), "hi"));
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> first.events.size() + second.events.size() == 20);
		Set<GreetingEvent> all = new HashSet<>(first.events);
		all.addAll(second.events);
		assertThat(all).hasSize(20);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EventListener.class)
	static class ListenerApp {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class PublisherApp {

	}

}
