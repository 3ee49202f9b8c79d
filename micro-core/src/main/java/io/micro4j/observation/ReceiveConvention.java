package io.micro4j.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and tags receive observations; implement to replace {@link DefaultReceiveConvention}. */
public interface ReceiveConvention extends ObservationConvention<ReceiveContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ReceiveContext;
	}

}
