package io.micro4j.spring.boot.autoconfigure.integration;

import io.micro4j.broker.Broker;
import io.micro4j.registry.Registry;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts applications that share one registry and one broker instance, as separate processes would share etcd. */
final class MicroApps {

	private MicroApps() {
	}

	static ConfigurableApplicationContext start(Class<?> application, Registry registry, Broker broker,
			String... properties) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("micro.server.address=127.0.0.1:0", "spring.main.register-shutdown-hook=false")
			.properties(properties)
			.initializers(context -> {
				context.getBeanFactory().registerSingleton("testRegistry", registry);
				context.getBeanFactory().registerSingleton("testBroker", broker);
			})
			.run();
	}

}
