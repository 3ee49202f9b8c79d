package io.micro4j.spring.boot.autoconfigure;

import io.micro4j.spring.boot.autoconfigure.broker.MicroBrokerAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.client.MicroClientAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.codec.MicroCodecAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.observation.MicroObservationAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.runtime.MicroRuntimeAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.selector.MicroSelectorAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.server.MicroServerAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The micro auto-configurations as a test context sees them. */
public final class TestAutoConfigurations {

	/** Every micro auto-configuration. */
	public static final AutoConfigurations ALL = AutoConfigurations.of(MicroRuntimeAutoConfiguration.class,
			MicroRegistryAutoConfiguration.class,
			MicroBrokerAutoConfiguration.class, MicroCodecAutoConfiguration.class,
			MicroSelectorAutoConfiguration.class, MicroObservationAutoConfiguration.class,
			MicroClientAutoConfiguration.class, MicroServerAutoConfiguration.class);

	private TestAutoConfigurations() {
	}

	/** A runner with every micro auto-configuration and the micro server disabled (nothing binds a port). */
	public static ApplicationContextRunner clientOnly() {
		return new ApplicationContextRunner().withConfiguration(ALL).withPropertyValues("micro.server.enabled=false");
	}

}
