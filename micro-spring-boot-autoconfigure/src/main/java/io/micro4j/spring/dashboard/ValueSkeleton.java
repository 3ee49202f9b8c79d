package io.micro4j.spring.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.micro4j.registry.Value;
import org.jspecify.annotations.Nullable;

/**
 * A JSON body of the shape a {@link Value} tree describes, to be filled in: each field of the root becomes a key,
 * with {@code ""} for strings and byte slices (Go writes {@code []byte} as base64), {@code 0} for numbers,
 * {@code false} for booleans, {@code []} for slices, {@code {}} for maps, a nested object for a field with children
 * and {@code null} for anything else (a type the registry does not describe further).
 */
public final class ValueSkeleton {

	private static final Set<String> NUMBERS = Set.of("int", "int8", "int16", "int32", "int64", "uint", "uint8",
			"uint16", "uint32", "uint64", "uintptr", "float32", "float64", "byte", "rune", "double", "float", "long",
			"integer", "number");

	private ValueSkeleton() {
	}

	/** The body {@code value} (a request's root) describes: its children as keys, in their order. */
	public static Map<String, @Nullable Object> of(Value value) {
		return fields(value.values());
	}

	private static Map<String, @Nullable Object> fields(List<Value> values) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		for (Value field : values) {
			if (!field.name().isEmpty()) {
				fields.put(field.name(), sample(field));
			}
		}
		return fields;
	}

	private static @Nullable Object sample(Value field) {
		String type = field.type().startsWith("*") ? field.type().substring(1) : field.type();
		if (type.equals("[]uint8") || type.equals("[]byte")) {
			return "";
		}
		if (type.startsWith("[]")) {
			return List.of();
		}
		if (type.startsWith("map[")) {
			return Map.of();
		}
		if (!field.values().isEmpty()) {
			return fields(field.values());
		}
		String lower = type.toLowerCase(Locale.ROOT);
		if (lower.equals("string")) {
			return "";
		}
		if (lower.equals("bool") || lower.equals("boolean")) {
			return false;
		}
		if (NUMBERS.contains(lower)) {
			return 0;
		}
		return null;
	}

}
