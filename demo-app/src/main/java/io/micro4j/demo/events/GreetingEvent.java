package io.micro4j.demo.events;

/**
 * The event published to {@code greeter.events} after each greeting: go-micro's example {@code {"id", "message"}}.
 *
 * @param id a unique id
 * @param message the greeting that was sent
 */
public record GreetingEvent(String id, String message) {

	/** The topic the events are published to. */
	public static final String TOPIC = "greeter.events";

}
