package io.micro4j.test.broker;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import io.micro4j.broker.Broker;
import io.micro4j.broker.http.HttpBroker;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The broker contract for the http broker: brokers on loopback ports sharing one in-memory registry. */
class HttpBrokerContractTests extends BrokerContractTests {

	/** Shared by every test of the class; each test uses topics of its own. */
	private static final MemoryRegistry REGISTRY = new MemoryRegistry();

	@AfterAll
	static void closeRegistry() {
		REGISTRY.close();
	}

	static HttpBroker httpBroker() {
		return HttpBroker.builder(REGISTRY).address("127.0.0.1:0").build();
	}

	/** Waits until the publisher's registry cache sees every subscriber node of {@code topic} the registry holds. */
	static void awaitCacheSeesRegistry(Broker broker, String topic) {
		Set<String> registered = new HashSet<>();
		for (Service service : REGISTRY.getService(HttpBroker.SERVICE)) {
			for (Node node : service.nodes()) {
				if (topic.equals(node.metadata().get("topic"))) {
					registered.add(node.id());
				}
			}
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			Set<String> seen = new HashSet<>();
			((HttpBroker) broker).subscriberNodes(topic).forEach(node -> seen.add(node.id()));
			return seen.equals(registered);
		});
	}

	@Override
	protected Broker createBroker() {
		return httpBroker();
	}

	@Override
	protected void awaitSubscriptions(Broker broker, String topic) {
		awaitCacheSeesRegistry(broker, topic);
	}

	@Test
	void whenTheBrokerIsNamedThenItIsHttp() {
		assertThat(this.broker.name()).isEqualTo("http");
	}

	@Test
	void whenPublisherAndSubscriberAreDifferentBrokersThenMessagesCrossBetweenThem() {
		Broker subscriberSide = newBroker();
		String topic = uniqueTopic();
		Received received = new Received();
		subscriberSide.subscribe(topic, received, io.micro4j.broker.SubscribeOptions.defaults());
		awaitSubscriptions(this.broker, topic);

		publishNumbered(topic, 100);

		await().atMost(deliveryTimeout()).until(() -> received.count() == 100);
		assertThat(received.distinctIds()).hasSize(100);
	}

	/** The whole contract again with the acceptance volume. */
	@Nested
	class WithTenThousandMessages extends BrokerContractTests {

		@Override
		protected Broker createBroker() {
			return httpBroker();
		}

		@Override
		protected int messageCount() {
			return 10_000;
		}

		@Override
		protected void awaitSubscriptions(Broker broker, String topic) {
			awaitCacheSeesRegistry(broker, topic);
		}

	}

}
