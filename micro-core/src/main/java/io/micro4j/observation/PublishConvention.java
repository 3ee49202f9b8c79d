package io.micro4j.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and tags publish observations; implement to replace {@link DefaultPublishConvention}. */
public interface PublishConvention extends ObservationConvention<PublishContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof PublishContext;
	}

}
