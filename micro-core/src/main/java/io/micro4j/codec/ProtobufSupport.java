package io.micro4j.codec;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micro4j.internal.LogSafe;

/**
 * Protobuf access that works whether or not protobuf is on the classpath.
 */
final class ProtobufSupport {

	static final boolean PRESENT = isPresent("com.google.protobuf.Message");

	static final boolean JSON_PRESENT = PRESENT && isPresent("com.google.protobuf.util.JsonFormat");

	private static final Map<Class<?>, Method> BUILDERS = new ConcurrentHashMap<>();

	private ProtobufSupport() {
	}

	static boolean isMessage(Object value) {
		return PRESENT && value instanceof com.google.protobuf.MessageOrBuilder;
	}

	static boolean isMessageType(Class<?> type) {
		return PRESENT && com.google.protobuf.Message.class.isAssignableFrom(type);
	}

	static byte[] toJsonBytes(Object message) {
		requireJson();
		try {
			return com.google.protobuf.util.JsonFormat.printer()
				.preservingProtoFieldNames()
				.omittingInsignificantWhitespace()
				.print((com.google.protobuf.MessageOrBuilder) message)
				.getBytes(StandardCharsets.UTF_8);
		}
		catch (com.google.protobuf.InvalidProtocolBufferException ex) {
			throw new CodecException(500, "json: cannot encode " + message.getClass().getName(), ex);
		}
	}

	static Object fromJson(byte[] data, Class<?> type) {
		requireJson();
		com.google.protobuf.Message.Builder builder = newBuilder(type);
		try {
			com.google.protobuf.util.JsonFormat.parser()
				.ignoringUnknownFields()
				.merge(new String(data, StandardCharsets.UTF_8), builder);
			return builder.build();
		}
		catch (com.google.protobuf.InvalidProtocolBufferException ex) {
			throw new CodecException(400,
					"json: cannot decode " + type.getSimpleName() + ": " + LogSafe.text(ex.getMessage(), 300), ex);
		}
	}

	static byte[] toBytes(Object message) {
		return ((com.google.protobuf.MessageLite) message).toByteArray();
	}

	static Object fromBytes(byte[] data, Class<?> type) {
		com.google.protobuf.Message.Builder builder = newBuilder(type);
		try {
			return builder.mergeFrom(data).build();
		}
		catch (com.google.protobuf.InvalidProtocolBufferException ex) {
			throw new CodecException(400,
					"protobuf: cannot decode " + type.getSimpleName() + ": " + LogSafe.text(ex.getMessage(), 300), ex);
		}
	}

	private static com.google.protobuf.Message.Builder newBuilder(Class<?> type) {
		Method method = BUILDERS.computeIfAbsent(type, t -> {
			try {
				return t.getMethod("newBuilder");
			}
			catch (NoSuchMethodException ex) {
				throw new CodecException(500, "protobuf: " + t.getName() + " has no newBuilder()", ex);
			}
		});
		try {
			return (com.google.protobuf.Message.Builder) method.invoke(null);
		}
		catch (ReflectiveOperationException ex) {
			throw new CodecException(500, "protobuf: cannot create a builder for " + type.getName(), ex);
		}
	}

	private static void requireJson() {
		if (!JSON_PRESENT) {
			throw new CodecException(500,
					"protobuf as JSON needs com.google.protobuf:protobuf-java-util on the classpath");
		}
	}

	private static boolean isPresent(String className) {
		try {
			Class.forName(className, false, ProtobufSupport.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

}
