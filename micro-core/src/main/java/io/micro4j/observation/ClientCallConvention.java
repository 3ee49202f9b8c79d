package io.micro4j.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and tags client call observations; implement to replace {@link DefaultClientCallConvention}. */
public interface ClientCallConvention extends ObservationConvention<ClientCallContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ClientCallContext;
	}

}
