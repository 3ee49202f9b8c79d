package io.micro4j.observation;

import io.micrometer.common.KeyValues;

/** Default publish convention: name {@code micro.broker.publish}, contextual name {@code <topic> publish}. */
public class DefaultPublishConvention implements PublishConvention {

	@Override
	public String getName() {
		return "micro.broker.publish";
	}

	@Override
	public String getContextualName(PublishContext context) {
		return context.topic() + " publish";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(PublishContext context) {
		return KeyValues.of(MicroObservation.MessageKeys.TOPIC.withValue(context.topic()),
				MicroObservation.MessageKeys.BROKER.withValue(context.brokerName()));
	}

}
