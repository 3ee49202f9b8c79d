package io.micro4j.spring.boot.autoconfigure.codec;

import io.micro4j.codec.BytesCodec;
import io.micro4j.codec.Codec;
import io.micro4j.codec.Codecs;
import io.micro4j.codec.JsonCodec;
import io.micro4j.codec.ProtobufCodec;
import io.micro4j.spring.boot.autoconfigure.client.MicroClientProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of the codecs. Registers {@code microCodecs}, the {@link Codecs} the client and server encode
 * and decode bodies with: JSON (on the application's {@link JsonMapper} when there is one, with unknown properties
 * ignored as Go's decoder does), protobuf and bytes, plus every {@link Codec} bean (a bean replaces the built-in
 * codec of its content type). The default codec is the one of {@code micro.client.content-type}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties(MicroClientProperties.class)
public final class MicroCodecAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(Codecs.class)
	Codecs microCodecs(MicroClientProperties properties, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<Codec> codecBeans) {
		JsonMapper mapper = jsonMapper.getIfUnique();
		JsonCodec json = (mapper != null)
				? new JsonCodec(mapper.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build())
				: new JsonCodec();
		Codecs codecs = Codecs.of(json, new ProtobufCodec(), new BytesCodec());
		for (Codec codec : codecBeans.orderedStream().toList()) {
			codecs = codecs.with(codec);
		}
		String contentType = properties.getContentType();
		Codec defaultCodec = codecs.forContentType(contentType)
			.orElseThrow(() -> new InvalidConfigurationPropertyValueException("micro.client.content-type", contentType,
					"no codec for this content type (expected: application/json, application/protobuf, "
							+ "application/octet-stream, or the content type of a Codec bean)"));
		return Codecs.of(defaultCodec, codecs.all().toArray(Codec[]::new));
	}

}
