package io.micro4j.selector;

import java.time.Duration;

import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import org.jspecify.annotations.Nullable;

/**
 * STUB: to be implemented. The registry-backed selector.
 */
public final class DefaultSelector implements Selector {

	private DefaultSelector(Builder builder) {
	}

	/** A selector over {@code registry} (usually a {@link io.micro4j.registry.RegistryCache}). */
	public static Builder builder(Registry registry) {
		return new Builder(registry);
	}

	@Override
	public Next select(String service, SelectOptions options) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void mark(String service, Node node, @Nullable Throwable error) {
	}

	@Override
	public void reset(String service) {
	}

	@Override
	public void close() {
	}

	/** Builds a {@link DefaultSelector}. */
	public static final class Builder {

		private final Registry registry;

		private SelectionStrategy strategy = SelectionStrategy.random();

		private Duration ejectionBase = Duration.ofSeconds(1);

		private Duration ejectionMax = Duration.ofSeconds(30);

		private Builder(Registry registry) {
			this.registry = registry;
		}

		/** The strategy, random by default (go-micro's default). */
		public Builder strategy(SelectionStrategy strategy) {
			this.strategy = strategy;
			return this;
		}

		/** First ejection period of a node that refused a connection; doubles per consecutive failure. */
		public Builder ejectionBase(Duration base) {
			this.ejectionBase = base;
			return this;
		}

		/** Upper bound of the ejection period. */
		public Builder ejectionMax(Duration max) {
			this.ejectionMax = max;
			return this;
		}

		public DefaultSelector build() {
			return new DefaultSelector(this);
		}

	}

}
