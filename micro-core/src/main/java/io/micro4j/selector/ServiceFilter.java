package io.micro4j.selector;

import java.util.List;

import io.micro4j.registry.Service;

/**
 * Narrows the service versions (and their nodes) a selection may choose from; go-micro's {@code selector.Filter}.
 * See {@link Filters} for the built-in ones.
 */
@FunctionalInterface
public interface ServiceFilter {

	/** The services left after filtering; never {@code null}, may be empty. */
	List<Service> apply(List<Service> services);

}
