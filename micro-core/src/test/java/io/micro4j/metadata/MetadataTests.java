package io.micro4j.metadata;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetadataTests {

	@Test
	void whenKeysAreWrittenInAnyCaseThenTheyAreStoredInCanonicalMimeForm() {
		Metadata metadata = Metadata.of("micro-from-service", "a", "TRACEPARENT", "00-abc", "x_y", "1");
		assertThat(metadata.keys()).containsExactly("Micro-From-Service", "Traceparent", "X_y");
		assertThat(metadata.get("traceparent")).contains("00-abc");
		assertThat(metadata.get("MICRO-FROM-SERVICE")).contains("a");
	}

	@Test
	void whenKeyHasInvalidHeaderCharactersThenItIsKeptUnchanged() {
		assertThat(Metadata.canonicalKey("has space")).isEqualTo("has space");
		assertThat(Metadata.canonicalKey("Content-Type")).isEqualTo("Content-Type");
	}

	@Test
	void whenBuiltThenKeysAreCanonicalAndTheSourceIsUntouched() {
		Metadata base = Metadata.of("micro-id", "1", "host", "h");
		Metadata built = base.toBuilder()
			.put("MICRO-ID", "2")
			.putIfAbsent("micro-id", "3")
			.putIfAbsent("timeout", "5")
			.remove("HOST")
			.build();
		assertThat(built.asMap()).containsExactly(java.util.Map.entry("Micro-Id", "2"), java.util.Map.entry("Timeout", "5"));
		assertThat(base.asMap()).containsOnlyKeys("Micro-Id", "Host");
		assertThat(Metadata.builder().build()).isSameAs(Metadata.empty());
	}

	@Test
	void whenBuilderHasBuiltThenItRefusesFurtherUse() {
		Metadata.Builder builder = Metadata.builder().put("a", "1");
		Metadata built = builder.build();
		org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> builder.put("b", "2"));
		assertThat(built.asMap()).containsOnlyKeys("A");
	}

	@Test
	void whenKeyHasNonAsciiOrSeparatorCharactersThenItIsKeptUnchanged() {
		assertThat(Metadata.canonicalKey("x-ñame")).isEqualTo("x-ñame");
		assertThat(Metadata.canonicalKey("a:b")).isEqualTo("a:b");
		assertThat(Metadata.canonicalKey("x~y|z")).isEqualTo("X~y|z");
	}

	@Test
	void whenMergedThenTheOtherSideWins() {
		Metadata merged = Metadata.of("a", "1", "b", "2").merge(Metadata.of("B", "3"));
		assertThat(merged.asMap()).containsEntry("A", "1").containsEntry("B", "3").hasSize(2);
	}

	@Test
	void whenCallContextIsCurrentThenOutgoingMetadataDropsHopHeaders() {
		Metadata incoming = Metadata.of("Content-Type", "application/json", "Micro-Endpoint", "Greeter.Hello",
				"Timeout", "5000000000", "Traceparent", "00-1-2-01", "X-Tenant", "acme", "Remote", "1.2.3.4:5");
		try (CallContext.Scope scope = CallContext.of(incoming, Deadline.after(Duration.ofSeconds(5))).makeCurrent()) {
			assertThat(CallContext.current().propagatedMetadata().asMap()).containsOnlyKeys("Traceparent", "X-Tenant");
			assertThat(CallContext.current().deadline()).isPresent();
		}
		assertThat(CallContext.current().metadata().isEmpty()).isTrue();
		assertThat(CallContext.current().deadline()).isEmpty();
	}

	@Test
	void whenDeadlinesAreCombinedThenTheEarlierWins() {
		Deadline soon = Deadline.after(Duration.ofMillis(100));
		Deadline later = Deadline.after(Duration.ofSeconds(100));
		assertThat(later.min(soon)).isSameAs(soon);
		assertThat(soon.min(later)).isSameAs(soon);
		assertThat(Deadline.after(Duration.ofSeconds(-1)).isExpired()).isTrue();
	}

}
