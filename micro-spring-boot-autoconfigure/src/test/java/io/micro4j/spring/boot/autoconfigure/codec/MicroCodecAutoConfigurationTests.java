package io.micro4j.spring.boot.autoconfigure.codec;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import io.micro4j.codec.BytesCodec;
import io.micro4j.codec.Codec;
import io.micro4j.codec.Codecs;
import io.micro4j.codec.JsonCodec;
import io.micro4j.codec.ProtobufCodec;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class MicroCodecAutoConfigurationTests {

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly();

	@Test
	void whenNothingIsConfiguredThenJsonIsTheDefaultCodecAndProtobufAndBytesAreKnown() {
		this.runner.run(context -> {
			Codecs codecs = context.getBean(Codecs.class);
			assertThat(codecs.defaultCodec().contentType()).isEqualTo(JsonCodec.CONTENT_TYPE);
			assertThat(codecs.forContentType(ProtobufCodec.CONTENT_TYPE)).isPresent();
			assertThat(codecs.forContentType("application/x-protobuf")).isPresent();
			assertThat(codecs.forContentType(BytesCodec.CONTENT_TYPE)).isPresent();
		});
	}

	@Test
	void whenContentTypeIsProtobufThenProtobufIsTheDefaultCodec() {
		this.runner.withPropertyValues("micro.client.content-type=application/protobuf")
			.run(context -> assertThat(context.getBean(Codecs.class).defaultCodec().contentType())
				.isEqualTo(ProtobufCodec.CONTENT_TYPE));
	}

	@Test
	void whenContentTypeHasNoCodecThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("micro.client.content-type=text/csv").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("micro.client.content-type")
				.hasMessageContaining("text/csv");
		});
	}

	@Test
	void whenCodecBeanIsDefinedThenItIsAddedAndCanBeTheDefault() {
		this.runner.withBean(Codec.class, UpperCaseCodec::new)
			.withPropertyValues("micro.client.content-type=text/x-upper")
			.run(context -> {
				Codecs codecs = context.getBean(Codecs.class);
				assertThat(codecs.defaultCodec()).isInstanceOf(UpperCaseCodec.class);
				assertThat(codecs.forContentType(JsonCodec.CONTENT_TYPE)).isPresent();
			});
	}

	@Test
	void whenApplicationJsonMapperExistsThenJsonCodecUsesItsSettings() {
		this.runner
			.withBean(JsonMapper.class,
					() -> JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build())
			.run(context -> {
				Codec json = context.getBean(Codecs.class).defaultCodec();
				String encoded = new String(json.encode(new Greeting("hi")), StandardCharsets.UTF_8);
				assertThat(encoded).isEqualTo("{\"greeting_text\":\"hi\"}\n");
				Greeting decoded = (Greeting) json.decode(
						"{\"greeting_text\":\"yo\",\"unknown\":1}".getBytes(StandardCharsets.UTF_8), Greeting.class);
				assertThat(decoded.greetingText()).isEqualTo("yo");
			});
	}

	record Greeting(String greetingText) {
	}

	static final class UpperCaseCodec implements Codec {

		@Override
		public String contentType() {
			return "text/x-upper";
		}

		@Override
		public byte[] encode(Object value) {
			return value.toString().toUpperCase().getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public Object decode(byte[] data, Type type) {
			return new String(data, StandardCharsets.UTF_8);
		}

	}

}
