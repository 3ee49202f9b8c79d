package io.micro4j.broker;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.micro4j.metadata.Metadata;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeTests {

	/** The envelope go-micro v4/v5 published on the http and NATS brokers (go-micro-observed.md). */
	static final String GO_MICRO_ENVELOPE = "{\"Header\":{\"Content-Type\":\"application/json\","
			+ "\"Micro-ID\":\"014f4caf-43f0-4960-8eb8-24651de0c669\",\"Micro-Topic\":\"greeter.events\"},"
			+ "\"Body\":\"eyJpZCI6IjEiLCJtZXNzYWdlIjoiaGkgZnJvbSBnbyBjbGllbnQifQo=\"}";

	static final byte[] GO_MICRO_BODY = "{\"id\":\"1\",\"message\":\"hi from go client\"}\n"
		.getBytes(StandardCharsets.UTF_8);

	@Test
	void whenGoMicroEnvelopeIsDecodedThenHeadersAreCanonicalAndTheBodyIsTheCodecOutput() {
		Message message = Envelope.decode(GO_MICRO_ENVELOPE.getBytes(StandardCharsets.UTF_8));

		assertThat(message.headers().asMap()).containsOnlyKeys("Content-Type", "Micro-Id", "Micro-Topic")
			.containsEntry("Content-Type", "application/json")
			.containsEntry("Micro-Id", "014f4caf-43f0-4960-8eb8-24651de0c669")
			.containsEntry("Micro-Topic", "greeter.events");
		assertThat(message.headers().get("Micro-ID")).contains("014f4caf-43f0-4960-8eb8-24651de0c669");
		assertThat(message.body()).isEqualTo(GO_MICRO_BODY);
	}

	@Test
	void whenTheDecodedGoMicroEnvelopeIsEncodedAgainThenTheBytesAreGoMicros() {
		byte[] golden = GO_MICRO_ENVELOPE.getBytes(StandardCharsets.UTF_8);

		assertThat(new String(Envelope.encode(Envelope.decode(golden)), StandardCharsets.UTF_8))
			.isEqualTo(GO_MICRO_ENVELOPE);
		assertThat(golden).hasSize(193);
	}

	@Test
	void whenHeadersAreGivenInAnyOrderThenTheyAreWrittenSortedByTheirBytesAsGoSortsMapKeys() {
		Metadata headers = Metadata.of("micro-topic", "t", "X-b", "2", "Content-Type", "application/json", "x-a", "1",
				"Micro-Id", "id", "Traceparent", "00-1-2-01", "Micro-Trace-Id", "tr");

		String json = new String(Envelope.encode(new Message(headers, new byte[] { 1 })), StandardCharsets.UTF_8);

		assertThat(json).isEqualTo("{\"Header\":{\"Content-Type\":\"application/json\",\"Micro-ID\":\"id\","
				+ "\"Micro-Topic\":\"t\",\"Micro-Trace-ID\":\"tr\",\"Traceparent\":\"00-1-2-01\",\"X-A\":\"1\","
				+ "\"X-B\":\"2\"},\"Body\":\"AQ==\"}");
	}

	@Test
	void whenValuesNeedEscapingThenTheyAreEscapedAsGoDoes() {
		Metadata headers = Metadata.of("X-Text", "a<b>&\"c\"\n\u2028é");

		String json = new String(Envelope.encode(new Message(headers, new byte[0])), StandardCharsets.UTF_8);

		assertThat(json)
			.isEqualTo("{\"Header\":{\"X-Text\":\"a\\u003cb\\u003e\\u0026\\\"c\\\"\\n\\u2028é\"},\"Body\":\"\"}");
		assertThat(Envelope.decode(json.getBytes(StandardCharsets.UTF_8)).headers().get("X-Text"))
			.contains("a<b>&\"c\"\n\u2028é");
	}

	@Test
	void whenKeysDifferOnlyInUtf16AndUtf8OrderThenUtf8OrderWins() {
		assertThat(Envelope.compareUtf8("\uD83D\uDE00", "\uFF21")).isPositive();
		assertThat(Envelope.compareUtf8("a", "b")).isNegative();
		assertThat(Envelope.compareUtf8("ab", "a")).isPositive();
		assertThat(Envelope.compareUtf8("Micro-ID", "Micro-Topic")).isNegative();
	}

	@Test
	void whenFieldNamesAreLowerCaseOrNullOrUnknownThenTheyAreReadAsGoReadsThem() {
		Message lower = Envelope.decode("{\"header\":{\"a\":\"1\"},\"body\":\"AQI=\",\"Extra\":[1]}".getBytes());
		Message nulls = Envelope.decode("{\"Header\":null,\"Body\":null}".getBytes());
		Message empty = Envelope.decode("{}".getBytes());
		Message lineBreaks = Envelope.decode("{\"Body\":\"AQ\\r\\nI=\"}".getBytes());

		assertThat(lower.headers().asMap()).containsExactlyEntriesOf(Metadata.of("A", "1").asMap());
		assertThat(lower.body()).containsExactly(1, 2);
		assertThat(nulls.headers().isEmpty()).isTrue();
		assertThat(nulls.body()).isEmpty();
		assertThat(empty.body()).isEmpty();
		assertThat(lineBreaks.body()).containsExactly(1, 2);
	}

	@Test
	void whenPayloadIsNotAnEnvelopeThenA400GoMicroErrorSaysWhy() {
		List<String> bad = List.of("not json", "[1,2]", "{\"Header\":[]}", "{\"Header\":{\"A\":1}}",
				"{\"Body\":12}", "{\"Body\":\"%%%\"}", "");

		for (String payload : bad) {
			assertThatThrownBy(() -> Envelope.decode(payload.getBytes(StandardCharsets.UTF_8))).as(payload)
				.isInstanceOfSatisfying(InvalidEnvelopeException.class, ex -> {
					assertThat(ex.code()).isEqualTo(400);
					assertThat(ex.id()).isEqualTo("go.micro.broker");
					assertThat(ex.status()).isEqualTo("Bad Request");
				})
				.hasMessageContaining("envelope");
		}
	}

}
