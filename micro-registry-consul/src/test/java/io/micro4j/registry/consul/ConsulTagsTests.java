package io.micro4j.registry.consul;

import java.util.List;
import java.util.Map;

import io.micro4j.registry.Endpoint;
import io.micro4j.registry.InvalidRecordException;
import io.micro4j.registry.Service;
import io.micro4j.registry.Value;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * go-micro's tag encoding: Go's own output (go-micro-wire.md §4.3) and the JDK's deflate output both decode; our
 * tags are checked by decoding them, never by comparing their hex with Go's.
 */
class ConsulTagsTests {

	/** The v5 endpoint JSON inside go-micro's {@code e-} vector. */
	static final String ENDPOINT_JSON = "{\"request\":{\"name\":\"Request\",\"type\":\"Request\",\"values\":[{\"name\":"
			+ "\"name\",\"type\":\"string\",\"values\":null}]},\"response\":{\"name\":\"Response\",\"type\":"
			+ "\"Response\",\"values\":[{\"name\":\"msg\",\"type\":\"string\",\"values\":null}]},\"metadata\":{},"
			+ "\"name\":\"Greeter.Hello\"}";

	/** Go's tags for a greeter node: metadata, the endpoint (v5 field order) and version {@code latest}. */
	static final List<String> GO_TAGS = List.of(
			"t-789caa564a2acacf4e2d52b252ca28292950aa05040000ffff364d0600",
			"t-789caa562a28ca2fc94fcecf51b252ca2d4d2e50aa05040000ffff46a906e2",
			"t-789caa562a4a4dcf2c2e29aa54b2524acecf2b2ecd51aa05040000ffff560f07c8",
			"t-789caa562a4e2d2a4b2d52b252ca2d4d2e50aa05040000ffff37200607",
			"t-789caa562a294acc2b2ec82f2a51b252ca28292950aa05040000ffff4f930768",
			"e-789c8c8d410a02311004ffd2e7e003f2013d7b150f019b459864d7998920217f17640dbb78f1d45054530dca47a539624349"
					+ "998838af24c05fcb1e3c93541ae265c89f19a6b9decbb4114b15e9d71ea0b4652ec65d67459bd020bfa56cd33fa14c4f"
					+ "b7e409b1f5f0fd1e9574eae1449119fd1d0000ffff2aca537b",
			"v-789cca492c492d2e01040000ffff08cc028e");

	static final Map<String, String> GO_METADATA = Map.of("broker", "http", "protocol", "mucp", "registry", "consul",
			"server", "mucp", "transport", "http");

	static final Endpoint HELLO = new Endpoint("Greeter.Hello",
			Value.of("Request", "Request", List.of(Value.of("name", "string"))),
			Value.of("Response", "Response", List.of(Value.of("msg", "string"))), Map.of());

	@Test
	void whenGoMicroVectorsAreDecodedThenMetadataEndpointAndVersionComeBack() {
		ConsulTags.Decoded decoded = ConsulTags.decode(GO_TAGS);

		assertThat(decoded.metadata()).isEqualTo(GO_METADATA);
		assertThat(decoded.endpoints()).containsExactly(HELLO);
		assertThat(decoded.version()).isEqualTo("latest");
	}

	@Test
	void whenGoVersionVectorsAreInflatedThenTheRawVersionsComeBack() {
		assertThat(ConsulTags.unhexZlib("789cca492c492d2e01040000ffff08cc028e")).isEqualTo("latest");
		assertThat(ConsulTags.unhexZlib("789c32d433d03300040000ffff02ce00ee")).isEqualTo("1.0.0");
	}

	@Test
	void whenTheEndpointOfTheOlderFieldOrderIsDecodedThenItEqualsTheCurrentOne() {
		String old = "e-789c8ccd310ac2401085e1bbbc3a7880bd80d6b66231e02308b39bb8332b48d8bb8b1286041bab078f1fbe0545329170"
				+ "aca4b31e4e549d30a0f2d1688e14c5797d06f86bde1f4fd14643ba44fc9d28cdebbd8c9bb034d57eed1fc6e6a91877ce7a6da07"
				+ "87ea56ce33f50a6cb4d5c9096dedf010000ffffe9a4537b";

		assertThat(ConsulTags.decode(List.of(old)).endpoints()).containsExactly(HELLO);
	}

	@Test
	void whenJdkDeflatedPayloadsAreDecodedThenTheyMatchTheirText() {
		// java.util.zip.Deflater output (one final block, no empty stored block), as the JDK writes it
		assertThat(ConsulTags.unhexZlib("789ccb492c492d2e010008cc028e")).isEqualTo("latest");
		assertThat(ConsulTags.unhexZlib("789cab564a2acacf4e2d52b252ca28292950aa0500364d0600"))
			.isEqualTo("{\"broker\":\"http\"}");
	}

	@Test
	void whenAServiceIsEncodedThenItsTagsDecodeToTheSameMetadataEndpointsAndVersion() {
		Service service = new Service("greeter", "1.0.0", Map.of(), List.of(HELLO), List.of());
		Map<String, String> metadata = Map.of("protocol", "mucp", "zone", "eu-1", "quote", "a\"b<c>");

		List<String> tags = ConsulTags.encode(service, metadata);

		assertThat(tags).hasSize(5);
		assertThat(tags.get(4)).startsWith("v-");
		assertThat(tags).allMatch(tag -> tag.matches("[tev]-[0-9a-f]+"));
		ConsulTags.Decoded decoded = ConsulTags.decode(tags);
		assertThat(decoded.metadata()).isEqualTo(metadata);
		assertThat(decoded.endpoints()).containsExactly(HELLO);
		assertThat(decoded.version()).isEqualTo("1.0.0");
	}

	@Test
	void whenOurEndpointTagIsInflatedThenItIsGoMicrosEndpointJson() {
		Service service = new Service("greeter", "latest", Map.of(), List.of(HELLO), List.of());

		String tag = ConsulTags.encode(service, Map.of()).get(0);

		assertThat(ConsulTags.unhexZlib(tag.substring(2))).isEqualTo(ENDPOINT_JSON);
	}

	@Test
	void whenLegacyPlainTagsAreDecodedThenTheyAreRead() {
		ConsulTags.Decoded decoded = ConsulTags.decode(
				List.of("t={\"protocol\":\"mucp\"}", "e=" + ENDPOINT_JSON, "v=2.0.0", "traefik.enable=true"));

		assertThat(decoded.metadata()).containsExactly(Map.entry("protocol", "mucp"));
		assertThat(decoded.endpoints()).containsExactly(HELLO);
		assertThat(decoded.version()).isEqualTo("2.0.0");
	}

	@Test
	void whenBothFormsArePresentThenTheFirstFormSeenWins() {
		ConsulTags.Decoded decoded = ConsulTags.decode(List.of("t={\"a\":\"plain\"}", GO_TAGS.get(0),
				GO_TAGS.get(5), "e={\"name\":\"Ignored\"}"));

		assertThat(decoded.metadata()).containsExactly(Map.entry("a", "plain"));
		assertThat(decoded.endpoints()).containsExactly(HELLO);
		assertThat(decoded.version()).isNull();
	}

	@Test
	void whenATagIsMalformedThenDecodingFailsWithAnInvalidRecord() {
		assertThatThrownBy(() -> ConsulTags.decode(List.of("t-zz"))).isInstanceOf(InvalidRecordException.class)
			.hasMessageContaining("not hexadecimal");
		assertThatThrownBy(() -> ConsulTags.decode(List.of("v-789c00"))).isInstanceOf(InvalidRecordException.class);
		assertThatThrownBy(() -> ConsulTags.decode(List.of("t=[1]"))).isInstanceOf(InvalidRecordException.class)
			.hasMessageContaining("not a JSON object");
	}

}
