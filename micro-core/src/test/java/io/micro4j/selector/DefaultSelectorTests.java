package io.micro4j.selector;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.micro4j.errors.MicroException;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.transport.ConnectFailedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefaultSelectorTests {

	private static final Node A = Node.of("greeter-a", "127.0.0.1:8001");

	private static final Node B = Node.of("greeter-b", "127.0.0.1:8002");

	private static final Node C = Node.of("greeter-c", "127.0.0.1:8003");

	private final StaticRegistry registry = new StaticRegistry().set(Service.of("greeter", "latest", List.of(C, A, B)));

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private DefaultSelector selector(SelectionStrategy strategy) {
		return selector(strategy, DefaultSelector.DEFAULT_MAX_EJECTION_PERCENT);
	}

	private DefaultSelector selector(SelectionStrategy strategy, int maxEjectionPercent) {
		return DefaultSelector.builder(this.registry)
			.strategy(strategy)
			.maxEjectionPercent(maxEjectionPercent)
			.ejectionBase(Duration.ofSeconds(1))
			.ejectionMax(Duration.ofSeconds(8))
			.nanoTime(this.now::get)
			.build();
	}

	@Test
	void whenAFilterFirstLetsANodeThroughThenItIsProbedAndTakesCalls() {
		ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
		try (DefaultSelector selector = DefaultSelector.builder(this.registry)
			.strategy(SelectionStrategy.roundRobin())
			.prober((node) -> CompletableFuture.completedFuture(true), timer)
			.nanoTime(this.now::get)
			.build()) {
			Set<String> allowed = new HashSet<>(Set.of(A.id()));
			ServiceFilter onlyAllowed = (services) -> services.stream()
				.map((service) -> service.withNodes(
						service.nodes().stream().filter((node) -> allowed.contains(node.id())).toList()))
				.toList();
			SelectOptions options = SelectOptions.of(onlyAllowed);
			call(selector, options);
			allowed.add(B.id());

			// A is known to answer; B, first seen now, is probed at once and then takes its share
			assertThat(callCounts(selector, 10, options)).containsOnlyKeys(A.id(), B.id());
		}
		finally {
			timer.shutdownNow();
		}
	}

	/** One call: select, take one node, report success. */
	private static Node call(Selector selector, SelectOptions options) {
		Node node = selector.select("greeter", options).next();
		selector.mark("greeter", node, null);
		return node;
	}

	private static Map<String, Integer> callCounts(Selector selector, int calls, SelectOptions options) {
		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < calls; i++) {
			counts.merge(call(selector, options).id(), 1, Integer::sum);
		}
		return counts;
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

	private static ConnectFailedException refused(Node node) {
		return new ConnectFailedException(node.address(), new ConnectException("Connection refused"));
	}

	@Test
	void whenRoundRobinSelects300TimesOverThreeNodesThenEachNodeGetsExactly100() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());

		Map<String, Integer> counts = callCounts(selector, 300, SelectOptions.defaults());

		assertThat(counts).containsOnly(Map.entry(A.id(), 100), Map.entry(B.id(), 100), Map.entry(C.id(), 100));
	}

	@Test
	void whenRoundRobinThenSeparateSelectCallsRotateThroughTheNodesInIdOrder() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());

		List<String> order = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			order.add(call(selector, SelectOptions.defaults()).id());
		}

		assertThat(order.subList(0, 3)).containsExactlyInAnyOrder(A.id(), B.id(), C.id());
		assertThat(order.subList(3, 6)).isEqualTo(order.subList(0, 3));
		List<String> idOrder = List.of(A.id(), B.id(), C.id());
		int start = idOrder.indexOf(order.get(0));
		assertThat(order.get(1)).isEqualTo(idOrder.get((start + 1) % 3));
	}

	@Test
	void whenSelectOptionsOverrideTheStrategyThenTheOverrideIsUsedAndKeepsItsState() {
		DefaultSelector selector = selector(SelectionStrategy.random());
		SelectOptions roundRobin = SelectOptions.defaults().withStrategy(SelectionStrategy.roundRobin());

		Map<String, Integer> counts = callCounts(selector, 300, roundRobin);

		assertThat(counts).containsOnly(Map.entry(A.id(), 100), Map.entry(B.id(), 100), Map.entry(C.id(), 100));
	}

	@Test
	void whenRandomSelectsManyTimesThenEveryNodeIsChosen() {
		DefaultSelector selector = selector(SelectionStrategy.random());

		Map<String, Integer> counts = callCounts(selector, 300, SelectOptions.defaults());

		assertThat(counts).containsOnlyKeys(A.id(), B.id(), C.id());
	}

	@Test
	void whenOneCallRetriesThenNextPrefersNodesItHasNotHandedOutYet() {
		DefaultSelector selector = selector(SelectionStrategy.random());

		Next next = selector.select("greeter");
		Set<String> tried = new HashSet<>();
		for (int i = 0; i < 3; i++) {
			tried.add(next.next().id());
		}

		assertThat(tried).containsExactlyInAnyOrder(A.id(), B.id(), C.id());
		assertThat(next.next().id()).isIn(A.id(), B.id(), C.id());
	}

	@Test
	void whenOneNodeIsBusyThenLeastRequestPrefersTheIdleNodes() {
		DefaultSelector selector = selector(SelectionStrategy.leastRequest());
		this.registry.set(Service.of("greeter", "latest", List.of(A.withMetadata("id", "a"), B, C)));
		Next onlyA = selector.select("greeter", SelectOptions.of(Filters.label("id", "a")));
		for (int i = 0; i < 3; i++) {
			assertThat(onlyA.next().id()).isEqualTo(A.id());
		}
		assertThat(selector.inFlight("greeter", A.id())).isEqualTo(3);

		Map<String, Integer> counts = callCounts(selector, 200, SelectOptions.defaults());

		assertThat(counts).doesNotContainKey(A.id()).containsOnlyKeys(B.id(), C.id());
		assertThat(selector.inFlight("greeter", B.id())).isZero();
		assertThat(selector.inFlight("greeter", C.id())).isZero();
	}

	@Test
	void whenTwoNodesDifferInLoadThenLeastRequestAlwaysChoosesTheLessLoaded() {
		this.registry.set(Service.of("greeter", "latest", List.of(A, B)));
		DefaultSelector selector = selector(SelectionStrategy.leastRequest());
		Node first = selector.select("greeter").next();

		for (int i = 0; i < 50; i++) {
			Node other = call(selector, SelectOptions.defaults());
			assertThat(other.id()).isNotEqualTo(first.id());
		}
		selector.mark("greeter", first, null);
		assertThat(selector.inFlight("greeter", first.id())).isZero();
	}

	@Test
	void whenAttemptsEndThenInFlightCountsReturnToZeroAndNeverGoBelow() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());
		Node node = selector.select("greeter").next();
		assertThat(selector.inFlight("greeter", node.id())).isEqualTo(1);

		selector.mark("greeter", node, new MicroException("greeter", 500, "boom"));
		selector.mark("greeter", node, null);

		assertThat(selector.inFlight("greeter", node.id())).isZero();
	}

	@Test
	void whenNodeRefusesConnectionsThenItIsEjected() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());
		Node node = selector.select("greeter").next();

		selector.mark("greeter", node, refused(node));

		Map<String, Integer> counts = callCounts(selector, 30, SelectOptions.defaults());
		assertThat(counts).doesNotContainKey(node.id()).hasSize(2);
	}

	@Test
	void whenEjectionPeriodHasPassedThenNodeIsChosenAgain() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());
		selector.select("greeter").next();
		selector.mark("greeter", A, refused(A));
		advance(Duration.ofMillis(999));
		assertThat(callCounts(selector, 30, SelectOptions.defaults())).doesNotContainKey(A.id());

		advance(Duration.ofMillis(1));

		assertThat(callCounts(selector, 30, SelectOptions.defaults())).containsEntry(A.id(), 10);
	}

	@Test
	void whenConnectionFailuresRepeatThenEjectionDoublesUpToTheMaximum() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());
		selector.select("greeter").next();
		selector.mark("greeter", A, refused(A));
		List<Long> periods = new ArrayList<>();
		for (int failure = 1; failure <= 5; failure++) {
			long ejectedFor = 0;
			// A keeps refusing: every time it is chosen again, that attempt fails too
			while (!attemptsReachNode(selector, A)) {
				advance(Duration.ofMillis(250));
				ejectedFor += 250;
			}
			periods.add(ejectedFor);
		}

		assertThat(periods).containsExactly(1000L, 2000L, 4000L, 8000L, 8000L);
	}

	/** Three calls; the one reaching {@code refusing} fails to connect, the others succeed. */
	private static boolean attemptsReachNode(Selector selector, Node refusing) {
		boolean reached = false;
		for (int i = 0; i < 3; i++) {
			Node node = selector.select("greeter").next();
			if (node.equals(refusing)) {
				reached = true;
				selector.mark("greeter", node, refused(node));
			}
			else {
				selector.mark("greeter", node, null);
			}
		}
		return reached;
	}

	@Test
	void whenConnectExceptionIsInTheCauseChainThenNodeIsEjected() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());
		selector.select("greeter").next();

		selector.mark("greeter", B, new IOException("call failed", new ConnectException("Connection refused")));

		assertThat(callCounts(selector, 30, SelectOptions.defaults())).doesNotContainKey(B.id());
	}

	@Test
	void whenErrorIsNotAConnectionFailureThenNodeStaysSelectable() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());
		selector.select("greeter").next();

		selector.mark("greeter", B, MicroException.timeout("greeter", "took too long"));
		selector.mark("greeter", B, new MicroException("greeter", 500, "handler failed"));

		assertThat(callCounts(selector, 30, SelectOptions.defaults())).containsEntry(B.id(), 10);
	}

	@Test
	void whenEjectedNodeSucceedsThenItIsBackAtOnceAndItsFailureCountIsReset() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());
		selector.select("greeter").next();
		selector.mark("greeter", A, refused(A));
		selector.mark("greeter", A, refused(A));

		selector.mark("greeter", A, null);
		assertThat(callCounts(selector, 30, SelectOptions.defaults())).containsEntry(A.id(), 10);

		selector.mark("greeter", A, refused(A));
		advance(Duration.ofSeconds(1));
		assertThat(callCounts(selector, 30, SelectOptions.defaults())).containsEntry(A.id(), 10);
	}

	@Test
	void whenAllNodesAreEjectedThenSelectionFallsBackToAllOfThem() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin(), 100);
		selector.select("greeter").next();
		for (Node node : List.of(A, B, C)) {
			selector.mark("greeter", node, refused(node));
		}

		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < 30; i++) {
			Node node = selector.select("greeter").next();
			counts.merge(node.id(), 1, Integer::sum);
			selector.mark("greeter", node, refused(node));
		}

		assertThat(counts).containsOnly(Map.entry(A.id(), 10), Map.entry(B.id(), 10), Map.entry(C.id(), 10));
	}

	@Test
	void whenAnEjectedNodeChosenInPanicModeSucceedsThenItIsTheOnlyHealthyOne() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin(), 100);
		selector.select("greeter").next();
		for (Node node : List.of(A, B, C)) {
			selector.mark("greeter", node, refused(node));
		}

		selector.mark("greeter", C, null);

		assertThat(callCounts(selector, 30, SelectOptions.defaults())).containsOnly(Map.entry(C.id(), 30));
	}

	@Test
	void whenANodeHasTheLimitOfCallsInFlightThenItIsPassedOverAndWhenAllHaveTheCallFailsAtOnce() {
		DefaultSelector selector = DefaultSelector.builder(this.registry)
			.strategy(SelectionStrategy.roundRobin())
			.maxInFlightPerNode(2)
			.build();
		List<Node> held = new java.util.ArrayList<>();
		for (int i = 0; i < 6; i++) {
			held.add(selector.select("greeter").next());
		}
		assertThat(held).filteredOn(A::equals).hasSize(2);
		assertThat(held).filteredOn(B::equals).hasSize(2);
		assertThat(held).filteredOn(C::equals).hasSize(2);

		assertThatThrownBy(() -> selector.select("greeter").next()).isInstanceOf(NodesBusyException.class)
			.hasMessageContaining("all 3 nodes have 2 calls in flight");

		selector.mark("greeter", B, null);
		assertThat(selector.select("greeter").next()).isEqualTo(B);
	}

	@Test
	void whenOneOfThreeNodesTimesOutTwiceThenItIsEjectedButASecondIsNotWhileTheFirstIsOut() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());
		selector.select("greeter").next();
		io.micro4j.errors.MicroException timeout = io.micro4j.errors.MicroException.timeout("go.micro.client", "t");
		selector.mark("greeter", A, timeout);
		assertThat(callCounts(selector, 30, SelectOptions.defaults())).containsEntry(A.id(), 10);
		selector.mark("greeter", A, timeout);
		selector.mark("greeter", A, timeout);
		assertThat(callCounts(selector, 30, SelectOptions.defaults())).doesNotContainKey(A.id());

		for (int i = 0; i < 5; i++) {
			selector.mark("greeter", B, io.micro4j.errors.MicroException.internalServerError("greeter", "boom"));
		}
		// max 50 % of three nodes: one ejected at a time
		assertThat(callCounts(selector, 30, SelectOptions.defaults())).containsOnlyKeys(B.id(), C.id());
	}

	@Test
	void whenAllButOneNodeAreEjectedThenOnlyThatNodeIsChosen() {
		DefaultSelector selector = selector(SelectionStrategy.random(), 100);
		selector.select("greeter").next();
		selector.mark("greeter", A, refused(A));
		selector.mark("greeter", C, refused(C));

		Next next = selector.select("greeter");

		assertThat(next.next()).isEqualTo(B);
		assertThat(next.next()).isEqualTo(B);
	}

	@Test
	void whenServiceIsUnknownThenSelectThrowsServiceNotFound() {
		DefaultSelector selector = selector(SelectionStrategy.random());

		assertThatThrownBy(() -> selector.select("nope")).isInstanceOf(ServiceNotFoundException.class)
			.hasMessageContaining("service nope: not found");
	}

	@Test
	void whenFiltersLeaveNoNodeThenSelectThrowsNoneAvailable() {
		DefaultSelector selector = selector(SelectionStrategy.random());

		assertThatThrownBy(() -> selector.select("greeter", SelectOptions.of(Filters.version("v9"))))
			.isInstanceOf(NoneAvailableException.class)
			.hasMessageContaining("service greeter: none available");
	}

	@Test
	void whenFiltersAreGivenThenTheyApplyInOrder() {
		Node v2Blue = new Node("greeter-d", "127.0.0.1:8004", Map.of("color", "blue"));
		this.registry.set(Service.of("greeter", "latest", List.of(A.withMetadata("color", "blue"), B)),
				Service.of("greeter", "v2", List.of(v2Blue, C)));
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());

		Map<String, Integer> counts = callCounts(selector, 10,
				SelectOptions.of(Filters.version("v2"), Filters.label("color", "blue")));

		assertThat(counts).containsOnly(Map.entry(v2Blue.id(), 10));
	}

	@Test
	void whenNodeIsListedInTwoVersionsThenItIsOneCandidate() {
		this.registry.set(Service.of("greeter", "latest", List.of(A, B)), Service.of("greeter", "v2", List.of(B)));
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());

		Map<String, Integer> counts = callCounts(selector, 100, SelectOptions.defaults());

		assertThat(counts).containsOnly(Map.entry(A.id(), 50), Map.entry(B.id(), 50));
	}

	@Test
	void whenNodeLeavesTheRegistryThenItsStateIsDropped() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());
		callCounts(selector, 3, SelectOptions.defaults());
		selector.mark("greeter", C, refused(C));
		assertThat(selector.trackedNodes("greeter")).isEqualTo(3);

		this.registry.set(Service.of("greeter", "latest", List.of(A)));
		selector.select("greeter");

		assertThat(selector.trackedNodes("greeter")).isEqualTo(1);
	}

	@Test
	void whenServiceIsResetThenEjectionsAreForgotten() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());
		selector.select("greeter").next();
		selector.mark("greeter", A, refused(A));

		selector.reset("greeter");

		assertThat(callCounts(selector, 30, SelectOptions.defaults())).containsEntry(A.id(), 10);
	}

	@Test
	void whenSelectorIsClosedThenItForgetsStateAndClosingAgainIsHarmless() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());
		selector.select("greeter").next();

		selector.close();
		selector.close();

		assertThat(selector.trackedNodes("greeter")).isZero();
	}

	@Test
	void whenMarkIsCalledForAnUnknownServiceThenNothingHappens() {
		DefaultSelector selector = selector(SelectionStrategy.roundRobin());

		selector.mark("unknown", A, refused(A));

		assertThat(selector.trackedNodes("unknown")).isZero();
	}

	@Test
	void whenEjectionMaxIsShorterThanBaseThenBuildFails() {
		assertThatThrownBy(() -> DefaultSelector.builder(this.registry)
			.ejectionBase(Duration.ofSeconds(10))
			.ejectionMax(Duration.ofSeconds(1))
			.build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ejectionMax: PT1S");
		assertThatThrownBy(() -> DefaultSelector.builder(this.registry).ejectionBase(Duration.ofSeconds(-1)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("ejectionBase: PT-1S (expected: >= 0)");
	}

	@Test
	void whenStrategiesAreNamedThenTheBuiltInOnesAreReturned() {
		assertThat(SelectionStrategy.of("round-robin")).isSameAs(SelectionStrategy.roundRobin());
		assertThat(SelectionStrategy.of("least_request")).isSameAs(SelectionStrategy.leastRequest());
		assertThat(SelectionStrategy.of("random")).hasToString("random");
	}

}
