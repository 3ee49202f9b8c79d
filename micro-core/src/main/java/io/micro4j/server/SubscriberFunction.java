package io.micro4j.server;

/**
 * Delivers one decoded message to a subscriber method (go-micro's {@code SubscriberFunc}).
 */
@FunctionalInterface
public interface SubscriberFunction {

	/**
	 * Handles one message.
	 * @param message the message's context; its payload is the decoded body
	 * @throws Exception any failure; the broker decides about redelivery
	 */
	void handle(SubscriberMessage message) throws Exception;

}
