package io.micro4j.broker;

/**
 * Handles delivered messages. Called on a broker worker thread, never on an I/O event loop. A thrown exception
 * is logged and counted by the broker; whether the message is redelivered depends on the broker and options.
 */
@FunctionalInterface
public interface BrokerHandler {

	void handle(Event event) throws Exception;

}
