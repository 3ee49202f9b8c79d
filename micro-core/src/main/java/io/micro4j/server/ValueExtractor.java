package io.micro4j.server;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micro4j.registry.Value;
import org.jspecify.annotations.Nullable;

/**
 * Describes a Java request or response type as the {@link Value} tree go-micro's extractor builds from a Go type:
 * the root is named after the type, struct fields become children named by their JSON name and typed with Go's
 * spelling ({@code string}, {@code int64}, {@code bool}, {@code float64}, {@code []Elem}, {@code map[K]V}), nested
 * message types recurse up to depth 3, as go-micro does.
 */
final class ValueExtractor {

	private static final int MAX_DEPTH = 3;

	private ValueExtractor() {
	}

	/** The root value of {@code type}, or {@code null} for no type. */
	static @Nullable Value extract(@Nullable Type type) {
		if (type == null || type == void.class || type == Void.class) {
			return null;
		}
		String name = typeName(type);
		return new Value(name, name, children(type, 0));
	}

	private static List<Value> children(Type type, int depth) {
		if (depth >= MAX_DEPTH || !(type instanceof Class<?> cls) || isScalar(cls) || cls.isArray()
				|| Collection.class.isAssignableFrom(cls) || Map.class.isAssignableFrom(cls) || cls.isEnum()
				|| cls.isInterface() || cls.getName().startsWith("java.")) {
			return List.of();
		}
		List<Value> values = new ArrayList<>();
		if (isProtobuf(cls)) {
			return ProtobufFields.describe(cls);
		}
		if (cls.isRecord()) {
			for (RecordComponent component : cls.getRecordComponents()) {
				values.add(field(jsonName(component.getAccessor().getAnnotations(), component.getName(), component),
						component.getGenericType(), depth));
			}
			return values;
		}
		for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
			for (Field f : c.getDeclaredFields()) {
				int mod = f.getModifiers();
				if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.isSynthetic() || ignored(f)) {
					continue;
				}
				values.add(field(jsonName(f.getAnnotations(), f.getName(), f), f.getGenericType(), depth));
			}
		}
		return values;
	}

	private static Value field(String name, Type type, int depth) {
		return new Value(name, typeName(type), children(type, depth + 1));
	}

	private static boolean ignored(Field field) {
		for (var annotation : field.getAnnotations()) {
			if (annotation.annotationType().getName().equals("com.fasterxml.jackson.annotation.JsonIgnore")) {
				return true;
			}
		}
		return false;
	}

	private static String jsonName(java.lang.annotation.Annotation[] annotations, String fallback,
			java.lang.reflect.AnnotatedElement element) {
		for (var annotation : concat(annotations, element.getAnnotations())) {
			if (annotation.annotationType().getName().equals("com.fasterxml.jackson.annotation.JsonProperty")) {
				try {
					Object value = annotation.annotationType().getMethod("value").invoke(annotation);
					if (value instanceof String s && !s.isEmpty()) {
						return s;
					}
				}
				catch (ReflectiveOperationException ex) {
					// fall back to the field name
				}
			}
		}
		return fallback;
	}

	private static java.lang.annotation.Annotation[] concat(java.lang.annotation.Annotation[] a,
			java.lang.annotation.Annotation[] b) {
		java.lang.annotation.Annotation[] all = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

	/** Go's spelling of a Java type. */
	static String typeName(Type type) {
		if (type instanceof Class<?> cls) {
			if (cls == String.class || cls == char.class || cls == Character.class) {
				return "string";
			}
			if (cls == boolean.class || cls == Boolean.class) {
				return "bool";
			}
			if (cls == int.class || cls == Integer.class) {
				return "int32";
			}
			if (cls == long.class || cls == Long.class) {
				return "int64";
			}
			if (cls == short.class || cls == Short.class) {
				return "int16";
			}
			if (cls == byte.class || cls == Byte.class) {
				return "int8";
			}
			if (cls == float.class || cls == Float.class) {
				return "float32";
			}
			if (cls == double.class || cls == Double.class) {
				return "float64";
			}
			if (cls == byte[].class) {
				return "[]uint8";
			}
			if (cls.isArray()) {
				return "[]" + typeName(cls.getComponentType());
			}
			if (cls == Object.class) {
				return "interface {}";
			}
			if (Collection.class.isAssignableFrom(cls)) {
				return "[]interface {}";
			}
			if (Map.class.isAssignableFrom(cls)) {
				return "map[string]interface {}";
			}
			return cls.getSimpleName();
		}
		if (type instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
			Type[] args = pt.getActualTypeArguments();
			if (Collection.class.isAssignableFrom(raw) && args.length == 1) {
				return "[]" + typeName(args[0]);
			}
			if (Map.class.isAssignableFrom(raw) && args.length == 2) {
				return "map[" + typeName(args[0]) + "]" + typeName(args[1]);
			}
			if (raw == Optional.class && args.length == 1) {
				return typeName(args[0]);
			}
			return raw.getSimpleName();
		}
		if (type instanceof GenericArrayType gat) {
			return "[]" + typeName(gat.getGenericComponentType());
		}
		if (type instanceof WildcardType wt && wt.getUpperBounds().length == 1) {
			return typeName(wt.getUpperBounds()[0]);
		}
		return "interface {}";
	}

	private static boolean isScalar(Class<?> cls) {
		return cls.isPrimitive() || cls == String.class || Number.class.isAssignableFrom(cls) || cls == Boolean.class
				|| cls == Character.class || cls == byte[].class;
	}

	private static boolean isProtobuf(Class<?> cls) {
		return ProtobufFields.PRESENT && com.google.protobuf.Message.class.isAssignableFrom(cls);
	}

	/** Field descriptions of generated protobuf messages, by proto field name. */
	private static final class ProtobufFields {

		static final boolean PRESENT = present();

		static List<Value> describe(Class<?> cls) {
			try {
				var descriptor = (com.google.protobuf.Descriptors.Descriptor) cls.getMethod("getDescriptor")
					.invoke(null);
				List<Value> values = new ArrayList<>();
				for (var field : descriptor.getFields()) {
					String type = switch (field.getJavaType()) {
						case INT -> "int32";
						case LONG -> "int64";
						case FLOAT -> "float32";
						case DOUBLE -> "float64";
						case BOOLEAN -> "bool";
						case STRING -> "string";
						case BYTE_STRING -> "[]uint8";
						case ENUM -> field.getEnumType().getName();
						case MESSAGE -> field.getMessageType().getName();
					};
					values.add(Value.of(field.getName(), field.isRepeated() && !field.isMapField() ? "[]" + type : type));
				}
				return values;
			}
			catch (ReflectiveOperationException | ClassCastException ex) {
				return List.of();
			}
		}

		private static boolean present() {
			try {
				Class.forName("com.google.protobuf.Message", false, ValueExtractor.class.getClassLoader());
				return true;
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return false;
			}
		}

	}

}
