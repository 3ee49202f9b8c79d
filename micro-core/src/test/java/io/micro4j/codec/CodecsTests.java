package io.micro4j.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodecsTests {

	record Request(String name) {
	}

	record Response(String msg) {
	}

	@Test
	void whenJsonIsEncodedThenItEndsWithANewlineAsGoEncoderWrites() {
		byte[] bytes = new JsonCodec().encode(new Response("Hello John"));
		assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"msg\":\"Hello John\"}\n");
	}

	@Test
	void whenJsonHasTrailingNewlineAndUnknownFieldsThenItDecodes() {
		Object decoded = new JsonCodec().decode("{\"name\":\"John\",\"extra\":1}\n".getBytes(StandardCharsets.UTF_8),
				Request.class);
		assertThat(decoded).isEqualTo(new Request("John"));
	}

	@Test
	void whenJsonIsMalformedThenA400CodecErrorIsThrown() {
		assertThatThrownBy(() -> new JsonCodec().decode("{\"name\":".getBytes(StandardCharsets.UTF_8), Request.class))
			.isInstanceOfSatisfying(CodecException.class, ex -> assertThat(ex.code()).isEqualTo(400));
	}

	@Test
	void whenContentTypeHasParametersOrCaseThenTheCodecIsFound() {
		Codecs codecs = Codecs.defaults();
		assertThat(codecs.forContentType("Application/JSON; charset=utf-8")).get().isInstanceOf(JsonCodec.class);
		assertThat(codecs.forContentType("application/protobuf")).get().isInstanceOf(ProtobufCodec.class);
		assertThat(codecs.forContentType("application/octet-stream")).get().isInstanceOf(BytesCodec.class);
		assertThat(codecs.forContentType("text/plain")).isEmpty();
		assertThat(codecs.defaultCodec().contentType()).isEqualTo("application/json");
	}

	@Test
	void whenBytesAreEncodedThenTheyPassThrough() {
		byte[] raw = { 1, 2, 3 };
		assertThat(new BytesCodec().encode(raw)).isSameAs(raw);
		assertThat(new BytesCodec().decode(raw, byte[].class)).isSameAs(raw);
		assertThatThrownBy(() -> new BytesCodec().encode("text")).isInstanceOf(CodecException.class);
	}

	@Test
	void whenProtobufMessageIsEncodedAsJsonThenProtoFieldNamesAreUsed() {
		com.google.protobuf.Struct struct = com.google.protobuf.Struct.newBuilder()
			.putFields("user_name", com.google.protobuf.Value.newBuilder().setStringValue("John").build())
			.build();
		String json = new String(new JsonCodec().encode(struct), StandardCharsets.UTF_8);
		assertThat(json).isEqualTo("{\"user_name\":\"John\"}\n");
		Object back = new JsonCodec().decode(json.getBytes(StandardCharsets.UTF_8), com.google.protobuf.Struct.class);
		assertThat(back).isEqualTo(struct);
	}

	@Test
	void whenProtobufMessageUsesProtobufCodecThenBytesRoundTrip() {
		com.google.protobuf.StringValue value = com.google.protobuf.StringValue.of("hi");
		byte[] bytes = new ProtobufCodec().encode(value);
		assertThat(new ProtobufCodec().decode(bytes, com.google.protobuf.StringValue.class)).isEqualTo(value);
		assertThatThrownBy(() -> new ProtobufCodec().encode(Map.of())).isInstanceOf(CodecException.class);
	}

	@Test
	void whenGenericTypeIsAskedThenJsonDecodesIt() {
		Object decoded = new JsonCodec().decode("[{\"msg\":\"a\"}]".getBytes(StandardCharsets.UTF_8),
				new io.micro4j.codec.CodecsTests.TypeRef<List<Response>>() {
				}.type());
		assertThat(decoded).isEqualTo(List.of(new Response("a")));
	}

	abstract static class TypeRef<T> {

		java.lang.reflect.Type type() {
			return ((java.lang.reflect.ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
		}

	}

}
