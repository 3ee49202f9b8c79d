package io.micro4j.spring.dashboard;

import java.util.List;
import java.util.Map;

import io.micro4j.broker.http.HttpBroker;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.registry.Value;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryViewTests {

	private static final Endpoint HELLO = new Endpoint("Greeter.Hello",
			Value.of("Request", "Request", List.of(Value.of("name", "string"))),
			Value.of("Response", "Response", List.of(Value.of("msg", "string"))), Map.of());

	private static final Endpoint ON_EVENT = new Endpoint("Events.On", Value.of("Event", "Event"), null,
			Map.of("subscriber", "true", "topic", "greeter.events"));

	@Test
	void whenServicesHaveVersionsThenTheOverviewGroupsThemByNameWithTheirNodes() {
		Service v1 = new Service("greeter", "v1", Map.of(), List.of(HELLO), List.of(Node.of("greeter-1", "10.0.0.1:1")));
		Service v2 = new Service("greeter", "v2", Map.of(), List.of(HELLO, ON_EVENT),
				List.of(Node.of("greeter-2", "10.0.0.2:1"), Node.of("greeter-3", "10.0.0.3:1")));
		Service billing = Service.of("billing", "latest", List.of(Node.of("billing-1", "10.0.0.4:1")));

		RegistryView.Overview overview = RegistryView.overview("etcd", List.of(v2, billing, v1));

		assertThat(overview.services()).containsExactly(new RegistryView.ServiceSummary("billing", List.of("latest"), 1, 0),
				new RegistryView.ServiceSummary("greeter", List.of("v1", "v2"), 3, 1));
		assertThat(overview.topics()).containsExactly(new RegistryView.Topic("greeter.events",
				List.of(new RegistryView.Subscriber("greeter", "v2", "Events.On", 2))));
	}

	@Test
	void whenTheHttpBrokerRegistersSubscriptionsThenTheyAreSubscribersOfTheirTopics() {
		Service broker = new Service(HttpBroker.SERVICE, "ff.http.broadcast", Map.of(), List.of(),
				List.of(new Node("events-a", "10.0.0.5:1", Map.of("broker", "http", "secure", "false", "topic", "events")),
						new Node("events-b", "10.0.0.6:1", Map.of("broker", "http", "secure", "false", "topic", "events")),
						new Node("audit-a", "10.0.0.5:2", Map.of("broker", "http", "secure", "true", "topic", "audit"))));

		RegistryView.Overview overview = RegistryView.overview("etcd", List.of(broker));

		assertThat(overview.topics()).containsExactly(
				new RegistryView.Topic("audit",
						List.of(new RegistryView.Subscriber(HttpBroker.SERVICE, "ff.http.broadcast", "", 1))),
				new RegistryView.Topic("events",
						List.of(new RegistryView.Subscriber(HttpBroker.SERVICE, "ff.http.broadcast", "", 2))));
	}

	@Test
	void whenAServiceIsDetailedThenNodesShowProtocolSecureAndBrokerAndEndpointsTheirSkeleton() {
		Service service = new Service("greeter", "latest", Map.of(), List.of(ON_EVENT, HELLO),
				List.of(new Node("greeter-b", "10.0.0.2:1", Map.of("protocol", "grpc", "secure", "true")),
						new Node("greeter-a", "10.0.0.1:1", Map.of("broker", "nats"))));

		RegistryView.VersionDetail version = RegistryView.detail(List.of(service)).get(0);

		assertThat(version.nodes()).extracting(RegistryView.NodeDetail::id, RegistryView.NodeDetail::protocol,
				RegistryView.NodeDetail::secure, RegistryView.NodeDetail::broker)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("greeter-a", "mucp", false, "nats"),
					org.assertj.core.groups.Tuple.tuple("greeter-b", "grpc", true, ""));
		assertThat(version.endpoints()).extracting(RegistryView.EndpointDetail::name)
			.containsExactly("Events.On", "Greeter.Hello");
		RegistryView.EndpointDetail hello = version.endpoints().get(1);
		assertThat(hello.skeleton()).containsExactly(Map.entry("name", ""));
		assertThat(hello.subscriber()).isFalse();
		assertThat(version.endpoints().get(0).topic()).isEqualTo("greeter.events");
	}

}
