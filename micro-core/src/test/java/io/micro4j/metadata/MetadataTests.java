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
