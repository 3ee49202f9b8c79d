package io.micro4j.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Options of one selection: filters applied in order, and optionally a strategy overriding the selector's.
 *
 * @param filters the filters, applied in order
 * @param strategy the strategy for this selection, or {@code null} for the selector's own
 */
public record SelectOptions(List<ServiceFilter> filters, @Nullable SelectionStrategy strategy) {

	private static final SelectOptions DEFAULTS = new SelectOptions(List.of(), null);

	public SelectOptions {
		filters = List.copyOf(filters);
	}

	public static SelectOptions defaults() {
		return DEFAULTS;
	}

	public static SelectOptions of(ServiceFilter... filters) {
		return new SelectOptions(List.of(filters), null);
	}

	public Optional<SelectionStrategy> strategyOverride() {
		return Optional.ofNullable(this.strategy);
	}

	/** A copy with {@code filter} appended. */
	public SelectOptions withFilter(ServiceFilter filter) {
		List<ServiceFilter> copy = new ArrayList<>(this.filters);
		copy.add(filter);
		return new SelectOptions(copy, this.strategy);
	}

	/** A copy using {@code strategy}. */
	public SelectOptions withStrategy(SelectionStrategy strategy) {
		return new SelectOptions(this.filters, strategy);
	}

}
