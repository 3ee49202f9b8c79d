package io.micro4j.selector;

import java.util.List;
import java.util.Map;

import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FiltersTests {

	private static final Node BLUE = new Node("greeter-1", "127.0.0.1:8001", Map.of("color", "blue"));

	private static final Node RED = new Node("greeter-2", "127.0.0.1:8002", Map.of("color", "red"));

	private static final Node PLAIN = Node.of("greeter-3", "127.0.0.1:8003");

	private static final Endpoint HELLO = new Endpoint("Greeter.Hello", null, null, Map.of());

	private static final Service LATEST = new Service("greeter", "latest", Map.of(), List.of(HELLO),
			List.of(BLUE, PLAIN));

	private static final Service V2 = Service.of("greeter", "v2", List.of(RED));

	@Test
	void whenFilteringByVersionThenOnlyThatVersionIsKept() {
		assertThat(Filters.version("v2").apply(List.of(LATEST, V2))).containsExactly(V2);
		assertThat(Filters.version("v3").apply(List.of(LATEST, V2))).isEmpty();
	}

	@Test
	void whenFilteringByLabelThenOnlyMatchingNodesAreKeptAndEmptiedVersionsDropped() {
		List<Service> blue = Filters.label("color", "blue").apply(List.of(LATEST, V2));

		assertThat(blue).containsExactly(LATEST.withNodes(List.of(BLUE)));
		assertThat(blue.get(0).endpoints()).containsExactly(HELLO);
		assertThat(Filters.label("color", "green").apply(List.of(LATEST, V2))).isEmpty();
	}

	@Test
	void whenFilteringByEndpointThenOnlyVersionsAdvertisingItAreKept() {
		assertThat(Filters.endpoint("Greeter.Hello").apply(List.of(LATEST, V2))).containsExactly(LATEST);
		assertThat(Filters.endpoint("Greeter.Bye").apply(List.of(LATEST, V2))).isEmpty();
	}

	@Test
	void whenFilteringThenTheInputIsLeftUnchanged() {
		List<Service> input = List.of(LATEST, V2);

		Filters.label("color", "red").apply(input);

		assertThat(input).containsExactly(LATEST, V2);
		assertThat(LATEST.nodes()).containsExactly(BLUE, PLAIN);
	}

}
