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

	record Order(long id, List<String> tags, Color color, Request customer) {
	}

	enum Color {

		RED, GREEN

	}

	@Test
	void whenJsonHasTheWrongShapeThenTheDetailSaysWhatWasExpectedAndWhereWithoutClassNames() {
		Map<String, String> cases = Map.of(
				"[]", "json: cannot decode Order: expected a JSON object, got an array",
				"{\"id\":\"x\"}", "json: cannot decode Order: field id: expected a JSON number, got a string",
				"{\"tags\":\"x\"}", "json: cannot decode Order: field tags: expected a JSON array, got a string",
				"{\"tags\":[{}]}", "json: cannot decode Order: field tags[0]: expected a JSON string, got an object",
				"{\"color\":\"BLUE\"}", "json: cannot decode Order: field color: not a valid Color",
				"{\"customer\":{\"name\":[]}}",
				"json: cannot decode Order: field customer.name: expected a JSON string, got an array");
		cases.forEach((json, detail) -> assertThatThrownBy(
				() -> new JsonCodec().decode(json.getBytes(StandardCharsets.UTF_8), Order.class))
			.as(json)
			.isInstanceOfSatisfying(CodecException.class, (ex) -> {
				assertThat(ex.code()).isEqualTo(400);
				assertThat(ex.detail()).isEqualTo(detail);
			}));
	}

	@Test
	void whenJsonIsMalformedThenTheDetailSaysWhere() {
		assertThatThrownBy(() -> new JsonCodec().decode("{\"name\":}".getBytes(StandardCharsets.UTF_8), Request.class))
			.isInstanceOfSatisfying(CodecException.class, (ex) -> assertThat(ex.detail())
				.startsWith("json: cannot decode Request: malformed JSON (")
				.endsWith("at line 1, column 9")
				.doesNotContain("io.micro4j"));
	}

	@Test
	void whenJsonIsTheNullLiteralThenItDecodesToNull() {
		assertThat(new JsonCodec().decode("null".getBytes(StandardCharsets.UTF_8), Request.class)).isNull();
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
