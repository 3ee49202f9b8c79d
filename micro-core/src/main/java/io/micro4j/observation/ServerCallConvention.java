package io.micro4j.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and tags server call observations; implement to replace {@link DefaultServerCallConvention}. */
public interface ServerCallConvention extends ObservationConvention<ServerCallContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ServerCallContext;
	}

}
