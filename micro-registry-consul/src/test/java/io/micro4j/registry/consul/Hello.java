package io.micro4j.registry.consul;

/** A handler like go-micro's greeter example: {@code Hello.Say(Request{name}) → Reply{text}}, signed by its owner. */
public class Hello {

	private final String owner;

	public Hello(String owner) {
		this.owner = owner;
	}

	public Reply say(Request request) {
		return new Reply(this.owner + " says hello to " + request.name());
	}

	public record Request(String name) {
	}

	public record Reply(String text) {
	}

}
