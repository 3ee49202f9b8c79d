package io.micro4j.demo.greeter;

import io.micro4j.client.Idempotent;
import io.micro4j.errors.MicroException;
import io.micro4j.internal.LogSafe;
import io.micro4j.spring.annotation.MicroHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RPC handler; its one public method is endpoint {@code Greeter.Hello}, callable from go-micro clients too.
 * The name comes from the caller: it is logged escaped and cut ({@link LogSafe}), so a name cannot forge log lines.
 */
@MicroHandler
public class Greeter {

	private static final Logger logger = LoggerFactory.getLogger(Greeter.class);

	/**
	 * Greets {@code request.name}. Safe to repeat, so declared {@link Idempotent}: the registry record says so and
	 * clients retry it after a timeout or a 5xx.
	 * @throws MicroException 400 {@code bad name "error"} for the name {@code error}, as go-micro's example does
	 */
	@Idempotent
	public HelloResponse hello(HelloRequest request) {
		logger.info("Greeter.Hello handling name={}", LogSafe.text(request.name()));
		if ("error".equals(request.name())) {
			throw MicroException.badRequest("greeter.hello", "bad name %q", request.name());
		}
		return new HelloResponse("Hello " + request.name());
	}

}
