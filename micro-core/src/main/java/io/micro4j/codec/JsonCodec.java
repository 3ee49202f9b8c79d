package io.micro4j.codec;

import java.lang.reflect.Type;
import java.util.Arrays;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code application/json}, go-micro's default content type since v4.6.
 * <p>
 * Encodes like Go's {@code json.Encoder}: compact JSON followed by a newline. Protobuf messages are written with
 * their proto field names and without default values, and read leniently (unknown fields ignored), as go-micro's
 * json codec does; that needs {@code protobuf-java-util} on the classpath. Unknown JSON fields are ignored for
 * plain Java types too, as Go's decoder does.
 */
public final class JsonCodec implements Codec {

	/** The content type. */
	public static final String CONTENT_TYPE = "application/json";

	private final JsonMapper mapper;

	public JsonCodec() {
		this(JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build());
	}

	/** A codec using {@code mapper} (e.g. the application's own, with its modules). */
	public JsonCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public String contentType() {
		return CONTENT_TYPE;
	}

	@Override
	public byte[] encode(Object value) {
		try {
			byte[] json = ProtobufSupport.isMessage(value) ? ProtobufSupport.toJsonBytes(value)
					: this.mapper.writeValueAsBytes(value);
			byte[] withNewline = Arrays.copyOf(json, json.length + 1);
			withNewline[json.length] = '\n';
			return withNewline;
		}
		catch (JacksonException ex) {
			throw new CodecException(500, "json: cannot encode " + value.getClass().getName() + ": "
					+ ex.getOriginalMessage(), ex);
		}
	}

	@Override
	public Object decode(byte[] data, Type type) {
		if (type == byte[].class && data.length > 0 && data[0] != '"') {
			return data;
		}
		try {
			JavaType javaType = this.mapper.constructType(type);
			if (ProtobufSupport.isMessageType(javaType.getRawClass())) {
				return ProtobufSupport.fromJson(data, javaType.getRawClass());
			}
			if (isBlank(data)) {
				data = "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
				if (!javaType.isContainerType() && javaType.getRawClass().getName().startsWith("java.lang.")) {
					return null;
				}
			}
			return this.mapper.readValue(data, javaType);
		}
		catch (JacksonException ex) {
			throw new CodecException(400, "json: cannot decode " + simpleName(type) + ": " + ex.getOriginalMessage(),
					ex);
		}
	}

	private static String simpleName(Type type) {
		return (type instanceof Class<?> cls) ? cls.getSimpleName() : type.getTypeName().replaceAll("[\\w$]+\\.", "");
	}

	private static boolean isBlank(byte[] data) {
		for (byte b : data) {
			if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
				return false;
			}
		}
		return true;
	}

}
