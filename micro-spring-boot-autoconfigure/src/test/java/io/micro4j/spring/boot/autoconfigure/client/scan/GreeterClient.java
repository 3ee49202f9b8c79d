package io.micro4j.spring.boot.autoconfigure.client.scan;

import java.util.concurrent.CompletableFuture;

import io.micro4j.metadata.Metadata;
import io.micro4j.spring.annotation.MicroClient;
import io.micro4j.spring.annotation.MicroEndpoint;

@MicroClient("${test.greeter.service:greeter}")
public interface GreeterClient {

	Reply hello(Ask request);

	Reply hello(Ask request, Metadata metadata);

	@MicroEndpoint("Greeter.Hello")
	CompletableFuture<Reply> helloLater(Ask request);

	CompletableFuture<Reply> helloAsync(Ask request);

	Reply echoAsync(Ask request);

	@MicroEndpoint("Health.Check")
	void ping();

	default String greet(String name) {
		return hello(new Ask(name)).msg();
	}

	record Ask(String name) {
	}

	record Reply(String msg) {
	}

}
