package io.micro4j.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Checks of builder and option arguments, with one wording for their errors: {@code name: value (expected: > 0)}.
 */
public final class Arguments {

	private Arguments() {
	}

	/**
	 * {@code value}, when it is greater than zero.
	 * @throws IllegalArgumentException otherwise
	 */
	public static int positive(String name, int value) {
		if (value <= 0) {
			throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
		}
		return value;
	}

	/**
	 * {@code value}, when it is zero or more.
	 * @throws IllegalArgumentException otherwise
	 */
	public static int nonNegative(String name, int value) {
		if (value < 0) {
			throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
		}
		return value;
	}

	/**
	 * {@code value}, when it is longer than zero.
	 * @throws NullPointerException when it is {@code null} (the message is {@code name})
	 * @throws IllegalArgumentException when it is zero or negative
	 */
	public static Duration positive(String name, Duration value) {
		Objects.requireNonNull(value, name);
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
		}
		return value;
	}

	/**
	 * {@code value}, when it is zero or longer.
	 * @throws NullPointerException when it is {@code null} (the message is {@code name})
	 * @throws IllegalArgumentException when it is negative
	 */
	public static Duration nonNegative(String name, Duration value) {
		Objects.requireNonNull(value, name);
		if (value.isNegative()) {
			throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
		}
		return value;
	}

}
