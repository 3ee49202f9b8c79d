package io.micro4j.registry;

import java.util.List;
import java.util.Objects;

/**
 * A typed field of an endpoint's request or response, as go-micro describes it: {@code {name, type, values}}, the
 * children being the fields of a struct type (go-micro stops at depth 3).
 *
 * @param name the field name (the JSON name), or the type name at the root
 * @param type the type name ({@code string}, {@code int64}, {@code []string}, or a message type name)
 * @param values the child fields; empty for scalars
 */
public record Value(String name, String type, List<Value> values) {

	public Value {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(type, "type");
		values = (values != null) ? List.copyOf(values) : List.of();
	}

	/** A value without children. */
	public static Value of(String name, String type) {
		return new Value(name, type, List.of());
	}

	/** A value with children. */
	public static Value of(String name, String type, List<Value> values) {
		return new Value(name, type, values);
	}

}
