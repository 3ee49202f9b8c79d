package io.micro4j.client;

import io.micro4j.broker.Message;

/** Publishes one message: the step a {@link PublishWrapper} decorates; at the end, the broker. */
@FunctionalInterface
public interface PublishFunction {

	void publish(String topic, Message message);

}
