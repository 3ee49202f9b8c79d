package io.micro4j.demo.greeter;

import io.micro4j.spring.annotation.MicroClient;

/**
 * The typed client of the {@code greeter} service; {@code hello} calls {@code Greeter.Hello} on whichever node the
 * selector picks.
 */
@MicroClient("greeter")
public interface GreeterClient {

	/** Calls {@code Greeter.Hello}. */
	HelloResponse hello(HelloRequest request);

}
