package io.micro4j.benchmarks.rpc;

/**
 * go-micro's example greeter, served as {@code Greeter.Hello}: the handler every unary RPC benchmark calls.
 */
public class Greeter {

	/** The request: {@code {"name":"John"}}. */
	public record HelloRequest(String name) {
	}

	/** The answer: {@code {"msg":"Hello John"}}. */
	public record HelloResponse(String msg) {
	}

	/** Greets {@code request.name()}. */
	public HelloResponse hello(HelloRequest request) {
		return new HelloResponse("Hello " + request.name());
	}

}
