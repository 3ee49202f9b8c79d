package io.micro4j.broker.memory;

import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerHandler;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.Subscription;

/**
 * STUB: to be implemented. In-memory broker with queue groups.
 */
public final class MemoryBroker implements Broker {

	public MemoryBroker() {
	}

	@Override
	public String name() {
		return "memory";
	}

	@Override
	public void publish(String topic, Message message) {
		throw new UnsupportedOperationException();
	}

	@Override
	public Subscription subscribe(String topic, BrokerHandler handler, SubscribeOptions options) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void close() {
	}

}
