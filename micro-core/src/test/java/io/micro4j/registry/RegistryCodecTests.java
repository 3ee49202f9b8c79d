package io.micro4j.registry;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden vectors: registry records exactly as go-micro writes them (go-micro-observed.md and go-micro-wire.md §3.5,
 * §9).
 */
class RegistryCodecTests {

	/** Written by a go-micro v4.11.0 service with a handler and a subscriber (etcd registry, http broker). */
	static final String OBSERVED_RECORD = "{\"name\":\"greeter\",\"version\":\"latest\",\"metadata\":null,\"endpoints\":"
			+ "[{\"request\":{\"name\":\"Request\",\"type\":\"Request\",\"values\":[{\"name\":\"name\",\"type\":\"string\","
			+ "\"values\":null}]},\"response\":{\"name\":\"Response\",\"type\":\"Response\",\"values\":[{\"name\":\"msg\","
			+ "\"type\":\"string\",\"values\":null}]},\"metadata\":{},\"name\":\"Greeter.Hello\"},{\"request\":{\"name\":"
			+ "\"Event\",\"type\":\"Event\",\"values\":[{\"name\":\"id\",\"type\":\"string\",\"values\":null},{\"name\":"
			+ "\"message\",\"type\":\"string\",\"values\":null}]},\"response\":null,\"metadata\":{\"subscriber\":\"true\","
			+ "\"topic\":\"greeter.events\"},\"name\":\"Sub.Handle\"}],\"nodes\":[{\"metadata\":{\"broker\":\"http\","
			+ "\"impl\":\"go-micro\",\"protocol\":\"mucp\",\"registry\":\"etcd\",\"server\":\"mucp\",\"transport\":\"http\"},"
			+ "\"id\":\"greeter-9abfc01d-7ec9-4588-a0ec-0c008ebfd10f\",\"address\":\"127.0.0.1:35632\"}]}";

	/** §3.5, as written by v4.10.2+ / v5 / v6. */
	static final String WIRE_RECORD = "{\"name\":\"greeter\",\"version\":\"latest\",\"metadata\":null,\"endpoints\":"
			+ "[{\"request\":{\"name\":\"Request\",\"type\":\"Request\",\"values\":[{\"name\":\"name\",\"type\":\"string\","
			+ "\"values\":null}]},\"response\":{\"name\":\"Response\",\"type\":\"Response\",\"values\":[{\"name\":\"msg\","
			+ "\"type\":\"string\",\"values\":null}]},\"metadata\":{},\"name\":\"Greeter.Hello\"}],\"nodes\":[{\"metadata\":"
			+ "{\"broker\":\"http\",\"protocol\":\"mucp\",\"registry\":\"etcd\",\"server\":\"mucp\",\"transport\":\"http\"},"
			+ "\"id\":\"greeter-6b4d3a52-0c1e-4f43-9f6a-2a0d5c1f8e11\",\"address\":\"127.0.0.1:8080\"}]}";

	/** §3.5, the same record as written by go-micro up to v4.10.1 (older field order). */
	static final String WIRE_RECORD_OLD_ORDER = "{\"name\":\"greeter\",\"version\":\"latest\",\"metadata\":null,"
			+ "\"endpoints\":[{\"name\":\"Greeter.Hello\",\"request\":{\"name\":\"Request\",\"type\":\"Request\",\"values\":"
			+ "[{\"name\":\"name\",\"type\":\"string\",\"values\":null}]},\"response\":{\"name\":\"Response\",\"type\":"
			+ "\"Response\",\"values\":[{\"name\":\"msg\",\"type\":\"string\",\"values\":null}]},\"metadata\":{}}],\"nodes\":"
			+ "[{\"id\":\"greeter-6b4d3a52-0c1e-4f43-9f6a-2a0d5c1f8e11\",\"address\":\"127.0.0.1:8080\",\"metadata\":"
			+ "{\"broker\":\"http\",\"protocol\":\"mucp\",\"registry\":\"etcd\",\"server\":\"mucp\",\"transport\":\"http\"}}]}";

	/** §3.5, a registration without handlers or metadata. */
	static final String MINIMAL_RECORD = "{\"name\":\"greeter\",\"version\":\"latest\",\"metadata\":null,"
			+ "\"endpoints\":null,\"nodes\":[{\"metadata\":null,\"id\":\"greeter-1\",\"address\":\"127.0.0.1:8080\"}]}";

	/** An http broker subscription as a go-micro v4.11.0 service registers it. */
	static final String HTTP_BROKER_RECORD = "{\"name\":\"micro.http.broker\",\"version\":\"ff.http.broadcast\","
			+ "\"metadata\":null,\"endpoints\":null,\"nodes\":[{\"metadata\":{\"broker\":\"http\",\"secure\":\"false\","
			+ "\"topic\":\"greeter.events\"},\"id\":\"greeter.events-71116568-3a5b-4d73-a72e-1eeec5cd233b\",\"address\":"
			+ "\"127.0.0.1:35901\"}]}";

	static final Endpoint HELLO = new Endpoint("Greeter.Hello",
			Value.of("Request", "Request", List.of(Value.of("name", "string"))),
			Value.of("Response", "Response", List.of(Value.of("msg", "string"))), Map.of());

	static final Endpoint SUBSCRIBER = new Endpoint("Sub.Handle",
			Value.of("Event", "Event", List.of(Value.of("id", "string"), Value.of("message", "string"))), null,
			Map.of("subscriber", "true", "topic", "greeter.events"));

	static final Map<String, String> NODE_METADATA = Map.of("broker", "http", "protocol", "mucp", "registry", "etcd",
			"server", "mucp", "transport", "http");

	static Service observedService() {
		Map<String, String> metadata = new java.util.HashMap<>(NODE_METADATA);
		metadata.put("impl", "go-micro");
		return new Service("greeter", "latest", Map.of(), List.of(HELLO, SUBSCRIBER), List.of(
				new Node("greeter-9abfc01d-7ec9-4588-a0ec-0c008ebfd10f", "127.0.0.1:35632", metadata)));
	}

	static Service wireService() {
		return new Service("greeter", "latest", Map.of(), List.of(HELLO), List.of(
				new Node("greeter-6b4d3a52-0c1e-4f43-9f6a-2a0d5c1f8e11", "127.0.0.1:8080", NODE_METADATA)));
	}

	static Service minimalService() {
		return Service.of("greeter", "latest", List.of(Node.of("greeter-1", "127.0.0.1:8080")));
	}

	static Service httpBrokerService() {
		return Service.of("micro.http.broker", "ff.http.broadcast",
				List.of(new Node("greeter.events-71116568-3a5b-4d73-a72e-1eeec5cd233b", "127.0.0.1:35901",
						Map.of("broker", "http", "secure", "false", "topic", "greeter.events"))));
	}

	@Test
	void whenObservedServiceIsEncodedThenBytesEqualWhatGoMicroWrote() {
		assertThat(RegistryCodec.encode(observedService())).isEqualTo(OBSERVED_RECORD);
	}

	@Test
	void whenSubscriberEndpointIsEncodedThenResponseIsNull() {
		assertThat(RegistryCodec.encodeEndpoint(SUBSCRIBER)).contains("\"response\":null,")
			.contains("\"metadata\":{\"subscriber\":\"true\",\"topic\":\"greeter.events\"}");
	}

	@Test
	void whenWireExampleIsEncodedThenBytesEqualTheCurrentGoMicroForm() {
		assertThat(RegistryCodec.encode(wireService())).isEqualTo(WIRE_RECORD);
		assertThat(RegistryCodec.encodeBytes(wireService()))
			.isEqualTo(WIRE_RECORD.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	@Test
	void whenMinimalServiceIsEncodedThenAbsentMapsAndListsAreNull() {
		assertThat(RegistryCodec.encode(minimalService())).isEqualTo(MINIMAL_RECORD);
	}

	@Test
	void whenHttpBrokerSubscriptionIsEncodedThenBytesEqualWhatGoMicroWrote() {
		assertThat(RegistryCodec.encode(httpBrokerService())).isEqualTo(HTTP_BROKER_RECORD);
	}

	@Test
	void whenGoMicroRecordsAreDecodedThenTheyEqualTheServices() {
		assertThat(RegistryCodec.decode(OBSERVED_RECORD)).isEqualTo(observedService());
		assertThat(RegistryCodec.decode(WIRE_RECORD)).isEqualTo(wireService());
		assertThat(RegistryCodec.decode(MINIMAL_RECORD)).isEqualTo(minimalService());
		assertThat(RegistryCodec.decode(HTTP_BROKER_RECORD.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
			.isEqualTo(httpBrokerService());
	}

	@Test
	void whenRecordHasTheOlderFieldOrderThenItDecodesToTheSameService() {
		assertThat(RegistryCodec.decode(WIRE_RECORD_OLD_ORDER)).isEqualTo(wireService());
	}

	@Test
	void whenDecodedServiceIsEncodedAgainThenTheOlderOrderBecomesTheCurrentOne() {
		assertThat(RegistryCodec.encode(RegistryCodec.decode(WIRE_RECORD_OLD_ORDER))).isEqualTo(WIRE_RECORD);
	}

	@Test
	void whenRecordHasNullsEverywhereThenTheyDecodeAsEmpty() {
		String json = "{\"name\":\"greeter\",\"version\":null,\"metadata\":null,\"endpoints\":[{\"request\":null,"
				+ "\"response\":null,\"metadata\":null,\"name\":\"Greeter.Hello\"}],\"nodes\":[{\"metadata\":null,"
				+ "\"id\":\"greeter-1\",\"address\":\"127.0.0.1:8080\"}]}";

		Service service = RegistryCodec.decode(json);

		assertThat(service.version()).isEmpty();
		assertThat(service.metadata()).isEmpty();
		assertThat(service.endpoints()).containsExactly(new Endpoint("Greeter.Hello", null, null, Map.of()));
		assertThat(service.nodes()).containsExactly(Node.of("greeter-1", "127.0.0.1:8080"));
	}

	@Test
	void whenRecordHasUnknownFieldsThenTheyAreIgnored() {
		String json = "{\"future\":{\"a\":[1,2,{\"b\":null}]},\"name\":\"greeter\",\"version\":\"latest\","
				+ "\"metadata\":null,\"endpoints\":[{\"request\":{\"name\":\"Request\",\"type\":\"Request\",\"values\":"
				+ "[{\"name\":\"name\",\"type\":\"string\",\"values\":null,\"tag\":\"x\"}]},\"response\":{\"name\":"
				+ "\"Response\",\"type\":\"Response\",\"values\":[{\"name\":\"msg\",\"type\":\"string\",\"values\":null}]},"
				+ "\"metadata\":{},\"name\":\"Greeter.Hello\",\"stream\":false}],\"nodes\":[{\"metadata\":{\"broker\":"
				+ "\"http\",\"protocol\":\"mucp\",\"registry\":\"etcd\",\"server\":\"mucp\",\"transport\":\"http\"},\"id\":"
				+ "\"greeter-6b4d3a52-0c1e-4f43-9f6a-2a0d5c1f8e11\",\"address\":\"127.0.0.1:8080\",\"weight\":3}],"
				+ "\"ttl\":60}";

		assertThat(RegistryCodec.decode(json)).isEqualTo(wireService());
	}

	@Test
	void whenMetadataHoldsHtmlCharactersThenTheyAreEscapedAsGoDoes() {
		Service service = Service.of("greeter", "latest",
				List.of(new Node("greeter-1", "127.0.0.1:8080", Map.of("note", "<a&b>"))));

		String json = RegistryCodec.encode(service);

		assertThat(json).contains("\"note\":\"\\u003ca\\u0026b\\u003e\"");
		assertThat(RegistryCodec.decode(json)).isEqualTo(service);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{", "[]", "{\"name\":1}", "null", "\"greeter\"", "{\"version\":\"latest\"}",
			"{\"name\":\"greeter\",\"nodes\":{}}", "{\"name\":\"greeter\",\"nodes\":[{\"id\":\"x\"}]}" })
	void whenRecordIsNotAGoMicroServiceThenDecodingFailsWithInvalidRecord(String garbage) {
		assertThatThrownBy(() -> RegistryCodec.decode(garbage)).isInstanceOf(InvalidRecordException.class);
	}

}
