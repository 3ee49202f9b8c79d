package io.micro4j.codec;

import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micro4j.internal.JsonShapes;
import io.micro4j.internal.LogSafe;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
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

	private static final Pattern QUOTED_NAME = Pattern.compile("`([\\w$]+(?:\\.[\\w$]+)+)`");

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

	/**
	 * {@inheritDoc}
	 * <p>
	 * A blank body reads as {@code {}} (so as an empty object), or as {@code null} for {@code java.lang} types; the
	 * JSON literal {@code null} reads as {@code null}. A failure is a 400 whose detail names the type by its simple
	 * name and the problem: {@code json: cannot decode Request: field age: expected a JSON number, got a string},
	 * {@code json: cannot decode Request: malformed JSON (Unexpected end-of-input) at line 1, column 9}. A type that
	 * cannot be read at all (no usable constructor) is a 500.
	 */
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
		catch (InvalidDefinitionException ex) {
			throw new CodecException(500, "json: cannot decode " + simpleName(type) + ": "
					+ withoutClassNames(ex.getOriginalMessage()), ex);
		}
		catch (JacksonException ex) {
			throw new CodecException(400, "json: cannot decode " + simpleName(type) + ": " + problem(ex), ex);
		}
	}

	/** What is wrong with the input, in terms of JSON and field names, never Java class names. */
	private static String problem(JacksonException ex) {
		String at = path(ex);
		if (ex instanceof InvalidFormatException invalid) {
			Class<?> target = invalid.getTargetType();
			String name = (target != null) ? target.getSimpleName() : "value";
			String expected = JsonShapes.expected(target);
			return at + (JsonShapes.fits(expected, invalid.getCurrentToken()) ? "not a valid " + name
					: "expected " + expected + ", got " + JsonShapes.got(invalid.getCurrentToken()));
		}
		if (ex instanceof MismatchedInputException mismatch) {
			String expected = JsonShapes.expected(mismatch.getTargetType());
			JsonToken token = mismatch.getCurrentToken();
			if (token != null && !JsonShapes.fits(expected, token)) {
				return at + "expected " + expected + ", got " + JsonShapes.got(token);
			}
			return at + withoutClassNames(ex.getOriginalMessage());
		}
		if (ex instanceof StreamReadException) {
			String message = ex.getOriginalMessage();
			String reason = (message != null) ? message : "";
			int colon = reason.indexOf(": ");
			if (colon > 0) {
				reason = reason.substring(0, colon);
			}
			TokenStreamLocation location = ex.getLocation();
			return "malformed JSON (" + LogSafe.text(reason, 100) + ")" + ((location != null)
					? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "");
		}
		return at + withoutClassNames(ex.getOriginalMessage());
	}

	/** {@code field name: }, {@code field tags[2]: }, or nothing at the top level. */
	private static String path(JacksonException ex) {
		StringBuilder sb = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!sb.isEmpty()) {
					sb.append('.');
				}
				sb.append(LogSafe.text(reference.getPropertyName(), 64));
			}
			else if (reference.getIndex() >= 0) {
				sb.append('[').append(reference.getIndex()).append(']');
			}
		}
		return sb.isEmpty() ? "" : "field " + sb + ": ";
	}

	/** Jackson's message with each quoted type name ({@code `com.example.Outer$Request`}) cut to its simple name. */
	private static String withoutClassNames(@Nullable String message) {
		if (message == null) {
			return "invalid input";
		}
		Matcher matcher = QUOTED_NAME.matcher(message);
		StringBuilder sb = new StringBuilder();
		while (matcher.find()) {
			String name = matcher.group(1);
			String simple = name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('$')) + 1);
			matcher.appendReplacement(sb, Matcher.quoteReplacement("`" + simple + "`"));
		}
		matcher.appendTail(sb);
		return LogSafe.text(sb, 300);
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
