package io.micro4j.demo.web;

import java.util.UUID;

import io.micro4j.demo.events.GreetingEvent;
import io.micro4j.demo.greeter.GreeterClient;
import io.micro4j.demo.greeter.HelloRequest;
import io.micro4j.demo.greeter.HelloResponse;
import io.micro4j.internal.LogSafe;
import io.micro4j.spring.client.MicroPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /hello?name=John}: calls {@code Greeter.Hello} through the typed client, publishes a
 * {@link GreetingEvent}, and returns the answer as JSON ({@code {"msg":"Hello John"}}); a micro error becomes its
 * HTTP code and go-micro's error JSON ({@link MicroErrorAdvice}).
 */
@RestController
public class HelloController {

	private static final Logger logger = LoggerFactory.getLogger(HelloController.class);

	private final GreeterClient greeter;

	private final MicroPublisher publisher;

	public HelloController(GreeterClient greeter, MicroPublisher publisher) {
		this.greeter = greeter;
		this.publisher = publisher;
	}

	/** Greets {@code name} through the greeter service and announces it on {@code greeter.events}. */
	@GetMapping("/hello")
	public HelloResponse hello(@RequestParam(defaultValue = "World") String name) {
		logger.info("GET /hello name={}", LogSafe.text(name));
		HelloResponse response = this.greeter.hello(new HelloRequest(name));
		this.publisher.publish(GreetingEvent.TOPIC, new GreetingEvent(UUID.randomUUID().toString(), response.msg()));
		return response;
	}

}
