package io.micro4j.spring.boot.autoconfigure.broker;

import java.util.function.Consumer;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/** Applies properties to broker builders, naming the property when a builder refuses its value. */
final class BuilderProperties {

	private BuilderProperties() {
	}

	/**
	 * Passes {@code value} to {@code setter}.
	 * @throws InvalidConfigurationPropertyValueException naming {@code property} when the setter refuses the value
	 */
	static <T> void apply(String property, T value, Consumer<T> setter) {
		try {
			setter.accept(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, value, ex.getMessage());
		}
	}

}
