package io.micro4j.spring.boot.autoconfigure.integration;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Metadata;
import io.micro4j.spring.annotation.MicroClient;
import io.micro4j.spring.annotation.MicroEndpoint;
import io.micro4j.spring.annotation.MicroHandler;
import io.micro4j.spring.annotation.MicroSubscriber;
import org.springframework.beans.factory.annotation.Value;

/** The greeter service of the integration tests: its messages, handler, typed client and subscriber. */
final class Greeting {

	private Greeting() {
	}

	record HelloRequest(String name) {
	}

	record HelloResponse(String msg) {
	}

	record GreetingEvent(String id, String message) {
	}

	/** The handler; it says which instance answered. */
	@MicroHandler
	static class Greeter {

		private final String instance;

		Greeter(@Value("${greeter.instance}") String instance) {
			this.instance = instance;
		}

		public HelloResponse hello(HelloRequest request) {
			if ("error".equals(request.name())) {
				throw MicroException.badRequest("greeter.hello", "bad name \"%s\"", request.name());
			}
			return new HelloResponse("Hello " + request.name() + " from " + this.instance);
		}

	}

	/** The typed client. */
	@MicroClient("greeter")
	interface GreeterClient {

		HelloResponse hello(HelloRequest request);

		@MicroEndpoint("Greeter.Hello")
		CompletableFuture<HelloResponse> helloLater(HelloRequest request);

	}

	/** A subscriber that keeps what it receives. */
	static class EventListener {

		final List<GreetingEvent> events = new CopyOnWriteArrayList<>();

		final List<Metadata> headers = new CopyOnWriteArrayList<>();

		@MicroSubscriber(topic = "greeter.events", queue = "${listener.queue:}")
		public void onEvent(GreetingEvent event, Metadata metadata) {
			this.events.add(event);
			this.headers.add(metadata);
		}

	}

}
