package io.micro4j.broker.internal;

import io.micro4j.broker.BrokerHandler;
import io.micro4j.broker.Event;
import org.slf4j.Logger;

/**
 * Runs broker handlers the way every broker must: a failure is logged with the topic and {@code Micro-Id} and
 * reported to the caller, never thrown (except a {@link VirtualMachineError}).
 */
public final class Handlers {

	private Handlers() {
	}

	/**
	 * Calls {@code handler} with {@code event}.
	 * @return {@code true} when it returned, {@code false} when it threw (logged on {@code logger} at warn)
	 */
	public static boolean deliver(BrokerHandler handler, Event event, Logger logger) {
		try {
			handler.handle(event);
			return true;
		}
		catch (Exception | Error ex) {
			if (ex instanceof VirtualMachineError) {
				throw (Error) ex;
			}
			logger.warn("Handler of topic {} failed on message {}", event.topic(),
					event.message().headers().get("Micro-Id").orElse("(no Micro-Id)"), ex);
			return false;
		}
	}

}
