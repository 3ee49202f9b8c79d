package io.micro4j.benchmarks.startup;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The app of the startup benchmark: a minimal Spring Boot web app with one endpoint, {@code GET /ping}. Started
 * with micro-spring-boot-starter on the class path and without it; the difference is the starter's cost.
 */
@SpringBootApplication
public class MinimalWebApplication {

	public static void main(String[] args) {
		SpringApplication.run(MinimalWebApplication.class, args);
	}

	/** {@code GET /ping} → {@code pong}. */
	@RestController
	public static class PingController {

		@GetMapping("/ping")
		public String ping() {
			return "pong";
		}

	}

}
