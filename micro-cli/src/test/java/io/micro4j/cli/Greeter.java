package io.micro4j.cli;

import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Metadata;

/** The Java greeter: endpoints {@code Greeter.Hello} and {@code Greeter.Tenant}. */
public class Greeter {

	public HelloResponse hello(HelloRequest request) {
		if ("error".equals(request.name())) {
			throw MicroException.badRequest("greeter.hello", "bad name %q", request.name());
		}
		return new HelloResponse("Hello " + request.name());
	}

	/** Answers the {@code X-Tenant} metadata of the call. */
	public HelloResponse tenant(HelloRequest request, Metadata metadata) {
		return new HelloResponse(metadata.get("X-Tenant").orElse("none"));
	}

	public record HelloRequest(String name) {
	}

	public record HelloResponse(String msg) {
	}

}
