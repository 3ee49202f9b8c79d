package io.micro4j.demo.events;

import io.micro4j.internal.LogSafe;
import io.micro4j.spring.annotation.MicroSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Subscribes to {@code greeter.events} and logs each event, escaped and cut ({@link LogSafe}): the message carries
 * a name a caller chose.
 */
@Component
public class GreetingEventLogger {

	private static final Logger logger = LoggerFactory.getLogger(GreetingEventLogger.class);

	/** Logs one event with its topic and payload. */
	@MicroSubscriber(topic = GreetingEvent.TOPIC)
	public void onEvent(GreetingEvent event) {
		logger.info("Received event on {}: id={} message={}", GreetingEvent.TOPIC, LogSafe.text(event.id()),
				LogSafe.text(event.message()));
	}

}
