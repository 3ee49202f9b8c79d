package io.micro4j.broker;

/**
 * A delivered message.
 */
public interface Event {

	String topic();

	Message message();

	/**
	 * Acknowledges the message; only meaningful with {@code autoAck=false} on brokers that support it, a no-op
	 * elsewhere.
	 */
	void ack();

}
