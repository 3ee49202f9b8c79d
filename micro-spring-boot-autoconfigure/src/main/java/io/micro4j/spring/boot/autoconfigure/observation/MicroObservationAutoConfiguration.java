package io.micro4j.spring.boot.autoconfigure.observation;

import io.micro4j.observation.ClientCallConvention;
import io.micro4j.observation.DefaultClientCallConvention;
import io.micro4j.observation.DefaultPublishConvention;
import io.micro4j.observation.DefaultReceiveConvention;
import io.micro4j.observation.DefaultServerCallConvention;
import io.micro4j.observation.PublishConvention;
import io.micro4j.observation.ReceiveConvention;
import io.micro4j.observation.ServerCallConvention;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of micro4j's Micrometer observations. Registers the default conventions, each replaceable by
 * a bean of its type: {@code microClientCallConvention} ({@link ClientCallConvention}),
 * {@code microServerCallConvention} ({@link ServerCallConvention}), {@code microPublishConvention}
 * ({@link PublishConvention}) and {@code microReceiveConvention} ({@link ReceiveConvention}).
 * <p>
 * The client and server use the context's {@link io.micrometer.observation.ObservationRegistry} (Spring Boot's, with
 * tracing when Micrometer Tracing is present) and a no-op registry when there is none; this configuration runs
 * after Spring Boot's observation auto-configuration so that registry is defined first.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
public final class MicroObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ClientCallConvention.class)
	DefaultClientCallConvention microClientCallConvention() {
		return new DefaultClientCallConvention();
	}

	@Bean
	@ConditionalOnMissingBean(ServerCallConvention.class)
	DefaultServerCallConvention microServerCallConvention() {
		return new DefaultServerCallConvention();
	}

	@Bean
	@ConditionalOnMissingBean(PublishConvention.class)
	DefaultPublishConvention microPublishConvention() {
		return new DefaultPublishConvention();
	}

	@Bean
	@ConditionalOnMissingBean(ReceiveConvention.class)
	DefaultReceiveConvention microReceiveConvention() {
		return new DefaultReceiveConvention();
	}

}
