package io.micro4j.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The {@code greeter} service, shaped like go-micro's greeter example: an RPC handler {@code Greeter.Hello}, a REST
 * endpoint {@code GET /hello} that calls it through a typed client and publishes an event to
 * {@code greeter.events}, and a subscriber that logs those events. One trace id runs through all three log lines.
 */
@SpringBootApplication
public class GreeterApplication {

	public static void main(String[] args) {
		SpringApplication.run(GreeterApplication.class, args);
	}

}
