package io.micro4j.spring.boot.autoconfigure.runtime;

import java.util.function.Consumer;

import io.micro4j.runtime.MicroRuntime;
import io.micro4j.spring.boot.autoconfigure.broker.MicroBrokerAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.client.MicroClientAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.selector.MicroSelectorAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.server.MicroServerAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the shared threads. Registers {@code microRuntime}, a {@link MicroRuntime} built from
 * {@code micro.runtime.*}: its event loop group serves the auto-configured transport server, transport client and
 * HTTP broker; its handler executor runs handlers (unless {@code micro.server.handler-threads} is set) and HTTP broker
 * subscribers (unless {@code micro.broker.http.handler-threads} is set); its callback executor and timer serve the
 * client; its timer also the registry cache and the HTTP broker. The components never shut these threads down; the
 * runtime closes with the context, after every bean that uses it.
 */
@AutoConfiguration(before = { MicroRegistryAutoConfiguration.class, MicroBrokerAutoConfiguration.class,
		MicroSelectorAutoConfiguration.class, MicroClientAutoConfiguration.class, MicroServerAutoConfiguration.class })
@EnableConfigurationProperties(MicroRuntimeProperties.class)
public final class MicroRuntimeAutoConfiguration {

	private static final String PREFIX = "micro.runtime.";

	@Bean
	@ConditionalOnMissingBean(MicroRuntime.class)
	MicroRuntime microRuntime(MicroRuntimeProperties properties) {
		MicroRuntime.Builder builder = MicroRuntime.builder();
		if (properties.getIoThreads() != null) {
			apply("io-threads", properties.getIoThreads(), builder::ioThreads);
		}
		if (properties.getHandlerThreads() != null) {
			apply("handler-threads", properties.getHandlerThreads(), builder::handlerThreads);
		}
		if (properties.getCallbackThreads() != null) {
			apply("callback-threads", properties.getCallbackThreads(), builder::callbackThreads);
		}
		apply("handler-queue-size", properties.getHandlerQueueSize(), builder::handlerQueueSize);
		apply("callback-queue-size", properties.getCallbackQueueSize(), builder::callbackQueueSize);
		apply("shutdown-timeout", properties.getShutdownTimeout(), builder::shutdownTimeout);
		return builder.build();
	}

	private static <T> void apply(String name, T value, Consumer<T> setter) {
		try {
			setter.accept(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + name, value, ex.getMessage());
		}
	}

}
