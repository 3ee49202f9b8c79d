package io.micro4j.internal;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.temporal.TemporalAccessor;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonToken;

/**
 * Names the JSON shape a Java type is read from and the shape a token has, for error details a caller can act on
 * ({@code expected a JSON object, got an array}) without Java class names.
 */
public final class JsonShapes {

	private JsonShapes() {
	}

	/**
	 * The JSON value {@code type} is read from: {@code a JSON object}, {@code a JSON array}, {@code a JSON string},
	 * {@code a JSON number}, {@code a JSON boolean}, or {@code a JSON value} when any will do.
	 */
	public static String expected(@Nullable Type type) {
		if (type instanceof GenericArrayType) {
			return "a JSON array";
		}
		Type raw = (type instanceof ParameterizedType pt) ? pt.getRawType() : type;
		if (!(raw instanceof Class<?> cls) || cls == Object.class) {
			return "a JSON value";
		}
		if (cls == String.class || cls == char.class || cls == Character.class || cls.isEnum() || cls == UUID.class
				|| cls == byte[].class || TemporalAccessor.class.isAssignableFrom(cls)
				|| CharSequence.class.isAssignableFrom(cls)) {
			return "a JSON string";
		}
		if (cls == boolean.class || cls == Boolean.class) {
			return "a JSON boolean";
		}
		if ((cls.isPrimitive() && cls != void.class) || Number.class.isAssignableFrom(cls)) {
			return "a JSON number";
		}
		if (cls.isArray() || Iterable.class.isAssignableFrom(cls)) {
			return "a JSON array";
		}
		return "a JSON object";
	}

	/** What {@code token} starts: {@code an object}, {@code an array}, {@code a string}, ..., {@code nothing}. */
	public static String got(@Nullable JsonToken token) {
		if (token == null) {
			return "nothing";
		}
		return switch (token) {
			case START_OBJECT -> "an object";
			case START_ARRAY -> "an array";
			case VALUE_STRING -> "a string";
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			case END_OBJECT -> "the end of an object";
			case END_ARRAY -> "the end of an array";
			case PROPERTY_NAME -> "a field name";
			default -> "an unexpected token";
		};
	}

	/** Whether a value that starts with {@code token} has the shape {@link #expected(Type)} describes. */
	public static boolean fits(String expected, @Nullable JsonToken token) {
		if (token == null || expected.equals("a JSON value")) {
			return token != null;
		}
		return switch (token) {
			case START_OBJECT -> expected.equals("a JSON object");
			case START_ARRAY -> expected.equals("a JSON array");
			case VALUE_STRING -> expected.equals("a JSON string");
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> expected.equals("a JSON number");
			case VALUE_TRUE, VALUE_FALSE -> expected.equals("a JSON boolean");
			default -> false;
		};
	}

}
