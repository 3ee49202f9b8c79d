package io.micro4j.observation;

import io.micrometer.common.KeyValues;

/** Default receive convention: name {@code micro.broker.receive}, contextual name {@code <topic> receive}, tags topic, broker,
 * queue ({@code none} for broadcast). */
public class DefaultReceiveConvention implements ReceiveConvention {

	@Override
	public String getName() {
		return "micro.broker.receive";
	}

	@Override
	public String getContextualName(ReceiveContext context) {
		return context.topic() + " receive";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ReceiveContext context) {
		return KeyValues.of(MicroObservation.MessageKeys.TOPIC.withValue(context.topic()),
				MicroObservation.MessageKeys.BROKER.withValue(context.brokerName()),
				MicroObservation.MessageKeys.QUEUE.withValue(context.queue().isEmpty() ? "none" : context.queue()));
	}

}
