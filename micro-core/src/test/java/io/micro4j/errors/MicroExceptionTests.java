package io.micro4j.errors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MicroExceptionTests {

	@Test
	void whenBadRequestIsWrittenThenJsonMatchesGoMicroByteForByte() {
		MicroException error = MicroException.badRequest("greeter.hello", "bad name \"%s\"", "error");
		assertThat(error.toJson()).isEqualTo(
				"{\"id\":\"greeter.hello\",\"code\":400,\"detail\":\"bad name \\\"error\\\"\",\"status\":\"Bad Request\"}");
	}

	@Test
	void whenGoMicroErrorJsonIsParsedThenAllFieldsAreRead() {
		MicroException error = MicroException.parse(
				"{\"id\":\"go.micro.client\",\"code\":408,\"detail\":\"call timeout: context deadline exceeded\",\"status\":\"Request Timeout\"}");
		assertThat(error.id()).isEqualTo("go.micro.client");
		assertThat(error.code()).isEqualTo(408);
		assertThat(error.detail()).isEqualTo("call timeout: context deadline exceeded");
		assertThat(error.status()).isEqualTo("Request Timeout");
	}

	@Test
	void whenErrorTextIsNotJsonThenItBecomesTheDetail() {
		MicroException error = MicroException.parse("rpc: can't find method Nope");
		assertThat(error.code()).isZero();
		assertThat(error.detail()).isEqualTo("rpc: can't find method Nope");
		assertThat(error.toJson()).isEqualTo("{\"detail\":\"rpc: can't find method Nope\"}");
	}

	@Test
	void whenJsonIsBrokenThenTheWholeTextIsTheDetail() {
		assertThat(MicroException.parse("{\"id\":").detail()).isEqualTo("{\"id\":");
	}

	@Test
	void whenDetailHasHtmlCharactersThenTheyAreEscapedAsGoDoes() {
		assertThat(MicroException.internalServerError("x", "<a&b>").toJson())
			.contains("\"detail\":\"\\u003ca\\u0026b\\u003e\"");
	}

	@Test
	void whenPlainExceptionIsWrappedThenItIsA500WithItsMessage() {
		MicroException error = MicroException.from("greeter", new IllegalStateException("boom"));
		assertThat(error.code()).isEqualTo(500);
		assertThat(error.detail()).isEqualTo("boom");
		assertThat(error.status()).isEqualTo("Internal Server Error");
		assertThat(MicroException.from("x", error)).isSameAs(error);
	}

	@Test
	void whenFormatUsesGoQuoteVerbThenTheArgumentIsQuotedAndEscaped() {
		assertThat(MicroException.badRequest("greeter.hello", "bad name %q", "error").detail())
			.isEqualTo("bad name \"error\"");
		assertThat(MicroException.format("%d: %q and %q, 100%%", 7, "a\"b", "c\nd"))
			.isEqualTo("7: \"a\\\"b\" and \"c\\nd\", 100%");
	}

}
