package io.micro4j.spring.boot.autoconfigure.dashboard;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micro4j.errors.MicroException;
import io.micro4j.spring.annotation.MicroHandler;
import io.micro4j.spring.annotation.MicroSubscriber;
import io.micro4j.spring.boot.autoconfigure.WithoutSpringSecurity;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * A servlet application with a greeter handler and a subscriber, on a random web port, the memory registry and
 * broker, and the dashboard on.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ DashboardApp.Greeter.class, DashboardApp.Listener.class })
class DashboardApp {

	/** Spring Security's servlet auto-configurations, left out unless a test asks for them. */
	static final String SECURITY = WithoutSpringSecurity.PROPERTY;

	/** Starts the application without Spring Security, with {@code properties} on top of the defaults. */
	static ConfigurableApplicationContext start(String... properties) {
		return start(new Class<?>[0], SECURITY, properties);
	}

	/** Starts the application and {@code sources}, with {@code properties} on top of the defaults. */
	static ConfigurableApplicationContext start(Class<?>[] sources, String security, String... properties) {
		return new SpringApplicationBuilder(DashboardApp.class).sources(sources)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("spring.application.name=greeter", "server.port=0", "server.address=127.0.0.1",
					"micro.server.address=127.0.0.1:0", "micro.dashboard.enabled=true",
					"spring.main.register-shutdown-hook=false", security)
			.properties(properties)
			.run();
	}

	/** The web port of {@code context}. */
	static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	record HelloRequest(String name, int times) {
	}

	record HelloResponse(String msg) {
	}

	record Greeting(String message) {
	}

	@MicroHandler
	static class Greeter {

		public HelloResponse hello(HelloRequest request) {
			if ("error".equals(request.name())) {
				throw MicroException.badRequest("greeter.hello", "bad name %q", request.name());
			}
			return new HelloResponse("Hello " + request.name());
		}

		/** Answers after {@code request.times} seconds. */
		public HelloResponse slow(HelloRequest request) throws InterruptedException {
			Thread.sleep(request.times() * 1000L);
			return new HelloResponse("Slow " + request.name());
		}

	}

	static class Listener {

		final List<Greeting> received = new CopyOnWriteArrayList<>();

		@MicroSubscriber(topic = "greeter.events")
		public void on(Greeting greeting) {
			this.received.add(greeting);
		}

	}

}
