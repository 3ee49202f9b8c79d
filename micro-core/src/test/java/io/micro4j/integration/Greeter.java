package io.micro4j.integration;

import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.errors.MicroException;
import io.micro4j.metadata.CallContext;

/** go-micro's example greeter; counts its calls. */
public class Greeter {

	public record Request(String name) {
	}

	public record Response(String msg) {
	}

	final AtomicInteger calls = new AtomicInteger();

	volatile String lastTraceparent;

	public Response hello(Request request) {
		this.calls.incrementAndGet();
		this.lastTraceparent = CallContext.current().metadata().getOrNull("Traceparent");
		if ("error".equals(request.name())) {
			throw MicroException.badRequest("greeter.hello", "bad name %s", "\"" + request.name() + "\"");
		}
		return new Response("Hello " + request.name());
	}

}
