package io.micro4j.transport.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import io.micro4j.metadata.Metadata;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WireHeadersTests {

	@Test
	void whenRequestHeadersAreReadThenHostAndTransferEncodingAreLeftOutAsInGo() {
		HttpHeaders headers = new DefaultHttpHeaders().add("host", "127.0.0.1:8080")
			.add("transfer-encoding", "chunked")
			.add("micro-endpoint", "Greeter.Hello")
			.add("X-Trace", "first")
			.add("x-trace", "second");

		Metadata metadata = WireHeaders.requestMetadata(headers);

		assertThat(metadata.asMap()).containsExactly(java.util.Map.entry("Micro-Endpoint", "Greeter.Hello"),
				java.util.Map.entry("X-Trace", "first"));
		assertThat(WireHeaders.responseMetadata(headers).keys()).containsExactly("Host", "Micro-Endpoint", "X-Trace");
	}

	@Test
	void whenValueIsNotAsciiThenItIsWrittenAsUtf8BytesAndReadBack() {
		CharSequence wire = WireHeaders.toWire("Jöhn ✓");

		assertThat(wire).isInstanceOf(AsciiString.class);
		assertThat(((AsciiString) wire).toByteArray()).isEqualTo("Jöhn ✓".getBytes(StandardCharsets.UTF_8));
		String asNettyReadsIt = new String("Jöhn ✓".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
		assertThat(WireHeaders.fromWire(asNettyReadsIt)).isEqualTo("Jöhn ✓");
		assertThat(WireHeaders.fromWire("caf\u00e9")).as("not UTF-8: kept as Latin-1").isEqualTo("caf\u00e9");
	}

	@Test
	void whenValueHasBlanksOrLineBreaksThenItIsCleanedAsGoDoes() {
		assertThat(WireHeaders.toWire("  padded\t")).hasToString("padded");
		assertThat(WireHeaders.toWire("two\r\nlines")).hasToString("two  lines");
	}

	@Test
	void whenMetadataIsAddedThenSkippedKeysStayOutAndInvalidNamesFail() {
		HttpHeaders headers = new DefaultHttpHeaders();
		WireHeaders.addAll(Metadata.of("Content-Length", "5", "Micro-Id", "1"), headers, Set.of("Content-Length"));
		assertThat(headers.names()).containsExactly("Micro-Id");

		assertThatIllegalArgumentException().isThrownBy(
				() -> WireHeaders.addAll(Metadata.of("bad name", "x"), new DefaultHttpHeaders(), Set.of()));
	}

}
