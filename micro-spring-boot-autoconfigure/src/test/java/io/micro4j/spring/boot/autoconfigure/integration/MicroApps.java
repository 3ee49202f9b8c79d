package io.micro4j.spring.boot.autoconfigure.integration;

import java.util.ArrayList;
import java.util.List;

import io.micro4j.broker.Broker;
import io.micro4j.broker.memory.MemoryBroker;
import io.micro4j.registry.Registry;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.spring.boot.autoconfigure.WithoutSpringSecurity;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Applications that share one registry and one broker instance, as separate processes would share etcd: each test
 * holds one, starts its applications through it and {@linkplain #close() closes} it after the test, which closes
 * the applications (last started first), then the broker and the registry.
 */
final class MicroApps implements AutoCloseable {

	private final MemoryRegistry registry = new MemoryRegistry();

	private final MemoryBroker broker = new MemoryBroker();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	/** The registry every application shares. */
	MemoryRegistry registry() {
		return this.registry;
	}

	/** Starts {@code application} on the shared registry and broker. */
	ConfigurableApplicationContext start(Class<?> application, String... properties) {
		return start(application, SharedRegistry.of(this.registry), properties);
	}

	/**
	 * Starts {@code application} as a servlet web application (its web server on a random loopback port) on the
	 * shared registry and broker.
	 */
	ConfigurableApplicationContext startWeb(Class<?> application, String... properties) {
		ConfigurableApplicationContext context = start(application, WebApplicationType.SERVLET,
				SharedRegistry.of(this.registry), this.broker, properties);
		this.contexts.add(context);
		return context;
	}

	/** Starts {@code application} on its own handle of the shared registry, and the shared broker. */
	ConfigurableApplicationContext start(Class<?> application, Registry registryHandle, String... properties) {
		ConfigurableApplicationContext context = start(application, WebApplicationType.NONE, registryHandle,
				this.broker, properties);
		this.contexts.add(context);
		return context;
	}

	@Override
	public void close() {
		for (int i = this.contexts.size() - 1; i >= 0; i--) {
			this.contexts.get(i).close();
		}
		this.contexts.clear();
		this.broker.close();
		this.registry.close();
	}

	private static ConfigurableApplicationContext start(Class<?> application, WebApplicationType type,
			Registry registry, Broker broker, String... properties) {
		return new SpringApplicationBuilder(application).web(type)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("micro.server.address=127.0.0.1:0", "spring.main.register-shutdown-hook=false",
					"server.address=127.0.0.1", "server.port=0", WithoutSpringSecurity.PROPERTY)
			.properties(properties)
			.initializers(context -> {
				context.getBeanFactory().registerSingleton("testRegistry", registry);
				context.getBeanFactory().registerSingleton("testBroker", broker);
			})
			.run();
	}

}
