package io.micro4j.test.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCodec;
import io.micro4j.registry.RegistryEvent;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.Service;
import io.micro4j.registry.Value;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

/**
 * The checks every {@link Registry} implementation must pass. Extend it, implement {@link #createRegistry()}, and
 * override the timing hooks if the backing store is slower than memory:
 *
 * <pre class="code">
 * class EtcdRegistryContractTests extends RegistryContractTests {
 *
 *     &#64;Override
 *     protected Registry createRegistry() {
 *         return EtcdRegistry.builder(etcd.endpoint()).build();
 *     }
 *
 * }
 * </pre>
 *
 * Every test uses service names of its own (see {@link #uniqueName}), so a shared server needs no cleaning between
 * tests. Only the public {@link Registry} interface is used.
 */
public abstract class RegistryContractTests {

	/** A record written by a go-micro v4.11.0 service with a handler and a subscriber (go-micro-observed.md). */
	public static final String GO_MICRO_RECORD = "{\"name\":\"greeter\",\"version\":\"latest\",\"metadata\":null,"
			+ "\"endpoints\":[{\"request\":{\"name\":\"Request\",\"type\":\"Request\",\"values\":[{\"name\":\"name\","
			+ "\"type\":\"string\",\"values\":null}]},\"response\":{\"name\":\"Response\",\"type\":\"Response\","
			+ "\"values\":[{\"name\":\"msg\",\"type\":\"string\",\"values\":null}]},\"metadata\":{},\"name\":"
			+ "\"Greeter.Hello\"},{\"request\":{\"name\":\"Event\",\"type\":\"Event\",\"values\":[{\"name\":\"id\","
			+ "\"type\":\"string\",\"values\":null},{\"name\":\"message\",\"type\":\"string\",\"values\":null}]},"
			+ "\"response\":null,\"metadata\":{\"subscriber\":\"true\",\"topic\":\"greeter.events\"},\"name\":"
			+ "\"Sub.Handle\"}],\"nodes\":[{\"metadata\":{\"broker\":\"http\",\"impl\":\"go-micro\",\"protocol\":"
			+ "\"mucp\",\"registry\":\"etcd\",\"server\":\"mucp\",\"transport\":\"http\"},\"id\":"
			+ "\"greeter-9abfc01d-7ec9-4588-a0ec-0c008ebfd10f\",\"address\":\"127.0.0.1:35632\"}]}";

	/** The same kind of record as written by go-micro up to v4.10.1 (older field order). */
	public static final String GO_MICRO_RECORD_OLD_ORDER = "{\"name\":\"greeter\",\"version\":\"latest\","
			+ "\"metadata\":null,\"endpoints\":[{\"name\":\"Greeter.Hello\",\"request\":{\"name\":\"Request\","
			+ "\"type\":\"Request\",\"values\":[{\"name\":\"name\",\"type\":\"string\",\"values\":null}]},"
			+ "\"response\":{\"name\":\"Response\",\"type\":\"Response\",\"values\":[{\"name\":\"msg\",\"type\":"
			+ "\"string\",\"values\":null}]},\"metadata\":{}}],\"nodes\":[{\"id\":"
			+ "\"greeter-6b4d3a52-0c1e-4f43-9f6a-2a0d5c1f8e11\",\"address\":\"127.0.0.1:8080\",\"metadata\":"
			+ "{\"broker\":\"http\",\"protocol\":\"mucp\",\"registry\":\"etcd\",\"server\":\"mucp\",\"transport\":"
			+ "\"http\"}}]}";

	/** An http broker subscription as a go-micro v4.11.0 service registers it. */
	public static final String GO_MICRO_HTTP_BROKER_RECORD = "{\"name\":\"micro.http.broker\",\"version\":"
			+ "\"ff.http.broadcast\",\"metadata\":null,\"endpoints\":null,\"nodes\":[{\"metadata\":{\"broker\":"
			+ "\"http\",\"secure\":\"false\",\"topic\":\"greeter.events\"},\"id\":"
			+ "\"greeter.events-71116568-3a5b-4d73-a72e-1eeec5cd233b\",\"address\":\"127.0.0.1:35901\"}]}";

	private final List<AutoCloseable> resources = new ArrayList<>();

	/** The registry under test, created before each test and closed after it. */
	protected Registry registry;

	/** A new registry; called once before each test (and by {@link #newRegistry()}). */
	protected abstract Registry createRegistry();

	/** How long a change may take to show in reads and in watch events; 10 s by default. */
	protected Duration eventTimeout() {
		return Duration.ofSeconds(10);
	}

	/** The TTL of registrations that are meant to expire during a test; 2 s by default. */
	protected Duration expiringTtl() {
		return Duration.ofSeconds(2);
	}

	/** How long after its last registration an expiring node must be gone; TTL plus event timeout by default. */
	protected Duration expiryTimeout() {
		return expiringTtl().plus(eventTimeout());
	}

	/**
	 * The TTL of all other registrations: long enough to outlive a test, short enough that records left on a shared
	 * server go away; 60 s by default.
	 */
	protected Duration registrationTtl() {
		return Duration.ofSeconds(60);
	}

	/**
	 * Stores {@code json}, a record exactly as go-micro writes it, the way go-micro would. The default registers the
	 * decoded record; registries with a store of their own should write the bytes as they are.
	 */
	protected void storeGoMicroRecord(Registry registry, String json) {
		registry.register(RegistryCodec.decode(json), registrationTtl());
	}

	/** A registry created with {@link #createRegistry()} and closed after the test. */
	protected final Registry newRegistry() {
		Registry created = createRegistry();
		this.resources.add(created);
		return created;
	}

	/** A service name no other test uses, starting with {@code prefix}. */
	protected static String uniqueName(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@BeforeEach
	void openRegistry() {
		this.registry = newRegistry();
	}

	@AfterEach
	void closeResources() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
		this.resources.clear();
	}

	@Test
	void whenServiceIsRegisteredThenGetServiceReturnsItWithEndpointsAndMetadata() {
		String name = uniqueName("greeter");
		Service service = greeter(name, "latest", node(name, 1, Map.of("protocol", "mucp", "zone", "a")));

		this.registry.register(service, registrationTtl());

		List<Service> found = awaitService(name, versions -> !versions.isEmpty());
		assertThat(found).containsExactly(service);
		assertThat(found.get(0).endpoints()).containsExactlyElementsOf(service.endpoints());
		assertThat(found.get(0).nodes().get(0).metadata()).containsEntry("zone", "a").containsEntry("protocol", "mucp");
	}

	@Test
	void whenTwoNodesOfOneVersionAreRegisteredThenTheyMergeIntoOneEntry() {
		String name = uniqueName("greeter");
		Node first = node(name, 1, Map.of());
		Node second = node(name, 2, Map.of());

		this.registry.register(greeter(name, "latest", first), registrationTtl());
		this.registry.register(greeter(name, "latest", second), registrationTtl());

		List<Service> found = awaitService(name, versions -> nodeIds(versions).size() == 2);
		assertThat(found).hasSize(1);
		assertThat(found.get(0).version()).isEqualTo("latest");
		assertThat(found.get(0).endpoints()).containsExactlyElementsOf(greeter(name, "latest", first).endpoints());
		assertThat(found.get(0).nodes()).containsExactlyInAnyOrder(first, second);
	}

	@Test
	void whenOneRegistrationHoldsTwoNodesThenBothAreStored() {
		String name = uniqueName("greeter");
		Node first = node(name, 1, Map.of());
		Node second = node(name, 2, Map.of());

		this.registry.register(greeter(name, "latest", first, second), registrationTtl());

		List<Service> found = awaitService(name, versions -> nodeIds(versions).size() == 2);
		assertThat(found).hasSize(1);
		assertThat(found.get(0).nodes()).containsExactlyInAnyOrder(first, second);
	}

	@Test
	void whenTwoVersionsAreRegisteredThenGetServiceReturnsOneEntryPerVersion() {
		String name = uniqueName("greeter");
		Service v1 = greeter(name, "v1", node(name, 1, Map.of()));
		Service v2 = greeter(name, "v2", node(name, 2, Map.of()));

		this.registry.register(v1, registrationTtl());
		this.registry.register(v2, registrationTtl());

		List<Service> found = awaitService(name, versions -> versions.size() == 2);
		assertThat(found).containsExactlyInAnyOrder(v1, v2);
	}

	@Test
	void whenNodeIsDeregisteredThenOnlyTheOtherNodeRemains() {
		String name = uniqueName("greeter");
		Node first = node(name, 1, Map.of());
		Node second = node(name, 2, Map.of());
		this.registry.register(greeter(name, "latest", first), registrationTtl());
		this.registry.register(greeter(name, "latest", second), registrationTtl());
		awaitService(name, versions -> nodeIds(versions).size() == 2);

		this.registry.deregister(greeter(name, "latest", first));

		List<Service> found = awaitService(name, versions -> nodeIds(versions).equals(List.of(second.id())));
		assertThat(found.get(0).nodes()).containsExactly(second);
	}

	@Test
	void whenLastNodeIsDeregisteredThenTheServiceIsGone() {
		String name = uniqueName("greeter");
		Service service = greeter(name, "latest", node(name, 1, Map.of()));
		this.registry.register(service, registrationTtl());
		awaitService(name, versions -> !versions.isEmpty());

		this.registry.deregister(service);

		assertThat(awaitService(name, List::isEmpty)).isEmpty();
		assertThat(this.registry.listServices()).extracting(Service::name).doesNotContain(name);
	}

	@Test
	void whenDeregisteringWhatIsNotRegisteredThenNothingFails() {
		String name = uniqueName("greeter");

		assertThatCode(() -> this.registry.deregister(greeter(name, "latest", node(name, 1, Map.of()))))
			.doesNotThrowAnyException();
		assertThat(this.registry.getService(name)).isEmpty();
	}

	@Test
	void whenServiceIsUnknownThenGetServiceReturnsAnEmptyList() {
		assertThat(this.registry.getService(uniqueName("unknown"))).isEmpty();
	}

	@Test
	void whenGoMicroRecordIsStoredThenItReadsBackWithAddressEndpointsAndMetadata() {
		String name = uniqueName("greeter");
		String json = renamed(GO_MICRO_RECORD, "greeter", name);
		Service expected = RegistryCodec.decode(json);

		storeGoMicroRecord(this.registry, json);

		List<Service> found = awaitService(name, versions -> !versions.isEmpty());
		assertThat(found).containsExactly(expected);
		Node node = found.get(0).nodes().get(0);
		assertThat(node.address()).isEqualTo("127.0.0.1:35632");
		assertThat(node.metadata()).containsEntry("protocol", "mucp")
			.containsEntry("impl", "go-micro")
			.containsEntry("registry", "etcd");
		assertThat(found.get(0).endpoints()).extracting(Endpoint::name).containsExactly("Greeter.Hello", "Sub.Handle");
		assertThat(found.get(0).endpoints().get(1).isSubscriber()).isTrue();
		assertThat(found.get(0).endpoints().get(1).response()).isNull();
	}

	@Test
	void whenGoMicroRecordOfTheOlderFieldOrderIsStoredThenItReadsBack() {
		String name = uniqueName("greeter");
		String json = renamed(GO_MICRO_RECORD_OLD_ORDER, "greeter", name);

		storeGoMicroRecord(this.registry, json);

		List<Service> found = awaitService(name, versions -> !versions.isEmpty());
		assertThat(found).containsExactly(RegistryCodec.decode(json));
		assertThat(found.get(0).nodes().get(0).address()).isEqualTo("127.0.0.1:8080");
	}

	@Test
	void whenGoMicroHttpBrokerRecordIsStoredThenItReadsBackUnderItsVersion() {
		String name = uniqueName("micro.http.broker");
		String json = renamed(GO_MICRO_HTTP_BROKER_RECORD, "micro.http.broker", name);

		storeGoMicroRecord(this.registry, json);

		List<Service> found = awaitService(name, versions -> !versions.isEmpty());
		assertThat(found).containsExactly(RegistryCodec.decode(json));
		assertThat(found.get(0).version()).isEqualTo("ff.http.broadcast");
		assertThat(found.get(0).nodes().get(0).metadata()).containsEntry("topic", "greeter.events");
	}

	@Test
	void whenServiceIsWatchedThenCreateUpdateAndDeleteAreSeen() {
		String name = uniqueName("greeter");
		Events events = watch(name);
		Node original = node(name, 1, Map.of("color", "blue"));
		Node changed = node(name, 1, Map.of("color", "green"));

		this.registry.register(greeter(name, "latest", original), registrationTtl());
		RegistryEvent created = events.await(RegistryEvent.Type.CREATE, name, original.id());
		this.registry.register(greeter(name, "latest", changed), registrationTtl());
		RegistryEvent updated = events.await(RegistryEvent.Type.UPDATE, name, original.id());
		this.registry.deregister(greeter(name, "latest", changed));
		RegistryEvent deleted = events.await(RegistryEvent.Type.DELETE, name, original.id());

		assertThat(created.service().nodes()).containsExactly(original);
		assertThat(created.service().endpoints()).isNotEmpty();
		assertThat(updated.service().nodes()).containsExactly(changed);
		assertThat(deleted.service().nodes()).extracting(Node::id).containsExactly(original.id());
		assertThat(events.types()).containsSubsequence(RegistryEvent.Type.CREATE, RegistryEvent.Type.UPDATE,
				RegistryEvent.Type.DELETE);
	}

	@Test
	void whenAllServicesAreWatchedThenEventsOfEveryServiceAreSeen() {
		String first = uniqueName("greeter");
		String second = uniqueName("counter");
		Events events = watch(null);

		this.registry.register(greeter(first, "latest", node(first, 1, Map.of())), registrationTtl());
		this.registry.register(greeter(second, "v2", node(second, 1, Map.of())), registrationTtl());
		this.registry.deregister(greeter(second, "v2", node(second, 1, Map.of())));

		events.await(RegistryEvent.Type.CREATE, first, node(first, 1, Map.of()).id());
		RegistryEvent created = events.await(RegistryEvent.Type.CREATE, second, node(second, 1, Map.of()).id());
		events.await(RegistryEvent.Type.DELETE, second, node(second, 1, Map.of()).id());
		assertThat(created.service().version()).isEqualTo("v2");
	}

	@Test
	void whenOneServiceIsWatchedThenEventsOfOtherServicesAreNotDelivered() {
		String watched = uniqueName("greeter");
		String other = uniqueName("greeter");
		Events events = watch(watched);

		this.registry.register(greeter(other, "latest", node(other, 1, Map.of())), registrationTtl());
		this.registry.register(greeter(watched, "latest", node(watched, 1, Map.of())), registrationTtl());

		events.await(RegistryEvent.Type.CREATE, watched, node(watched, 1, Map.of()).id());
		assertThat(events.all()).extracting(event -> event.service().name()).containsOnly(watched);
	}

	@Test
	void whenWatchIsClosedThenItReceivesNoFurtherEvents() {
		String name = uniqueName("greeter");
		Events closed = new Events();
		Events open = new Events();
		Registry.Watch watch = this.registry.watch(name, closed);
		this.resources.add(this.registry.watch(name, open));

		watch.close();
		watch.close();
		this.registry.register(greeter(name, "latest", node(name, 1, Map.of())), registrationTtl());

		open.await(RegistryEvent.Type.CREATE, name, node(name, 1, Map.of()).id());
		await().during(Duration.ofMillis(500)).atMost(eventTimeout()).until(() -> closed.all().isEmpty());
	}

	@Test
	void whenTtlPassesWithoutRegisteringAgainThenTheNodeExpires() {
		String name = uniqueName("greeter");
		Node expiring = node(name, 1, Map.of());
		Node staying = node(name, 2, Map.of());
		Events events = watch(name);
		this.registry.register(greeter(name, "latest", staying), registrationTtl());
		this.registry.register(greeter(name, "latest", expiring), expiringTtl());
		awaitService(name, versions -> nodeIds(versions).size() == 2);

		List<Service> found = await().atMost(expiryTimeout())
			.until(() -> this.registry.getService(name), versions -> nodeIds(versions).equals(List.of(staying.id())));

		assertThat(found.get(0).nodes()).containsExactly(staying);
		events.await(RegistryEvent.Type.DELETE, name, expiring.id());
	}

	@Test
	void whenServicesAreRegisteredThenListServicesIncludesEveryVersion() {
		String first = uniqueName("greeter");
		String second = uniqueName("counter");
		this.registry.register(greeter(first, "v1", node(first, 1, Map.of())), registrationTtl());
		this.registry.register(greeter(first, "v2", node(first, 2, Map.of())), registrationTtl());
		this.registry.register(greeter(second, "latest", node(second, 1, Map.of())), registrationTtl());

		List<Service> listed = await().atMost(eventTimeout())
			.until(this.registry::listServices, services -> services.stream()
				.filter(service -> service.name().equals(first) || service.name().equals(second))
				.count() == 3);

		assertThat(listed).filteredOn(service -> service.name().equals(first))
			.extracting(Service::version)
			.containsExactlyInAnyOrder("v1", "v2");
		assertThat(listed).filteredOn(service -> service.name().equals(second))
			.singleElement()
			.satisfies(service -> assertThat(service.nodes()).extracting(Node::id)
				.containsExactly(node(second, 1, Map.of()).id()));
	}

	@Test
	void whenRegistryIsClosedTwiceThenNothingFails() {
		Registry other = newRegistry();

		assertThatCode(() -> {
			other.close();
			other.close();
		}).doesNotThrowAnyException();
	}

	@Test
	void whenRegistryHasANameThenItIsNotBlank() {
		assertThat(this.registry.name()).isNotBlank();
	}

	/** A service with one handler endpoint and one subscriber endpoint, like a go-micro server registers. */
	protected static Service greeter(String name, String version, Node... nodes) {
		Endpoint hello = new Endpoint("Greeter.Hello", Value.of("Request", "Request", List.of(Value.of("name", "string"))),
				Value.of("Response", "Response", List.of(Value.of("msg", "string"))), Map.of());
		Endpoint subscriber = new Endpoint("Sub.Handle", Value.of("Event", "Event", List.of(Value.of("id", "string"))),
				null, Map.of("subscriber", "true", "topic", name + ".events"));
		return new Service(name, version, Map.of(), List.of(hello, subscriber), List.of(nodes));
	}

	/** Node number {@code index} of service {@code name}, with the framework's metadata plus {@code extra}. */
	protected static Node node(String name, int index, Map<String, String> extra) {
		Map<String, String> metadata = new java.util.HashMap<>(Map.of("protocol", "mucp", "server", "mucp",
				"transport", "http", "broker", "memory", "registry", "test"));
		metadata.putAll(extra);
		return new Node(name + "-node-" + index, "127.0.0.1:" + (20000 + index), metadata);
	}

	private static List<String> nodeIds(List<Service> versions) {
		return versions.stream().flatMap(service -> service.nodes().stream()).map(Node::id).sorted().toList();
	}

	private static String renamed(String json, String from, String to) {
		String prefix = "{\"name\":\"" + from + "\",";
		assertThat(json).startsWith(prefix);
		return "{\"name\":\"" + to + "\"," + json.substring(prefix.length());
	}

	/** Reads {@code name} until {@code condition} holds (at most {@link #eventTimeout()}). */
	protected final List<Service> awaitService(String name, Predicate<List<Service>> condition) {
		return await().atMost(eventTimeout()).until(() -> this.registry.getService(name), condition::test);
	}

	/** Watches {@code service} (all when {@code null}) for the rest of the test. */
	protected final Events watch(@Nullable String service) {
		Events events = new Events();
		this.resources.add(this.registry.watch(service, events));
		return events;
	}

	/** Collects the events of a watch. */
	protected final class Events implements RegistryListener {

		private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();

		private final List<Throwable> errors = new CopyOnWriteArrayList<>();

		@Override
		public void onEvent(RegistryEvent event) {
			this.events.add(event);
		}

		@Override
		public void onError(Throwable error) {
			this.errors.add(error);
		}

		/** The events so far. */
		public List<RegistryEvent> all() {
			return List.copyOf(this.events);
		}

		/** The types of the events so far, in order. */
		public List<RegistryEvent.Type> types() {
			return this.events.stream().map(RegistryEvent::type).toList();
		}

		/** The first event of {@code type} about node {@code nodeId} of {@code service}, waiting for it. */
		public RegistryEvent await(RegistryEvent.Type type, String service, String nodeId) {
			Predicate<RegistryEvent> matches = event -> event.type() == type && event.service().name().equals(service)
					&& event.service().nodes().stream().anyMatch(node -> node.id().equals(nodeId));
			RegistryEvent found = org.awaitility.Awaitility.await()
				.atMost(eventTimeout())
				.until(() -> this.events.stream().filter(matches).findFirst().orElse(null), event -> event != null);
			assertThat(this.errors).as("watch errors").isEmpty();
			return found;
		}

	}

}
