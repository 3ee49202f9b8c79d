package io.micro4j.benchmarks.rest;

import io.micro4j.benchmarks.rpc.Greeter;
import io.micro4j.benchmarks.rpc.Greeter.HelloRequest;
import io.micro4j.benchmarks.rpc.Greeter.HelloResponse;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Baseline (a) of the unary RPC benchmark: the same greeter as a plain Spring MVC {@code @RestController} on Tomcat,
 * {@code POST /greeter/hello} with JSON in and out. Run without micro4j on the class path.
 */
@SpringBootApplication
public class RestGreeterApplication {

	public static void main(String[] args) {
		SpringApplication.run(RestGreeterApplication.class, args);
	}

	/** {@code POST /greeter/hello}: {@code {"name":"John"}} → {@code {"msg":"Hello John"}}. */
	@RestController
	public static class GreeterController {

		private final Greeter greeter = new Greeter();

		@PostMapping("/greeter/hello")
		public HelloResponse hello(@RequestBody HelloRequest request) {
			return this.greeter.hello(request);
		}

	}

}
