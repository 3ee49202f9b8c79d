package io.micro4j.registry.etcd;

/** go-micro's example handler, {@code Greeter.Hello(Request{name}) → Response{msg}}, answering with its tag. */
public class Greeter {

	private final String tag;

	public Greeter(String tag) {
		this.tag = tag;
	}

	public Response hello(Request request) {
		return new Response("Hello " + request.name() + " from " + this.tag);
	}

	public record Request(String name) {
	}

	public record Response(String msg) {
	}

}
