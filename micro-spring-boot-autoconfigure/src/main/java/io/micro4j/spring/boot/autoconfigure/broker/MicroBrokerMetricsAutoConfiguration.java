package io.micro4j.spring.boot.autoconfigure.broker;

import io.micro4j.broker.Broker;
import io.micro4j.spring.actuate.BrokerMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the broker's Micrometer meters, with {@code micrometer-core} on the classpath unless
 * {@code micro.broker.metrics.enabled=false}. Registers {@code microBrokerMetrics}, a {@link BrokerMetrics}
 * ({@link MeterBinder}) of the context's single {@link Broker}; Spring Boot binds it to the meter registry, which
 * then has a {@code micro.broker.*} counter for each {@link io.micro4j.broker.BrokerCounters counter} of the broker.
 */
@AutoConfiguration(after = MicroBrokerAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBooleanProperty(name = "micro.broker.metrics.enabled", matchIfMissing = true)
public final class MicroBrokerMetricsAutoConfiguration {

	@Bean
	@ConditionalOnSingleCandidate(Broker.class)
	@ConditionalOnMissingBean(BrokerMetrics.class)
	BrokerMetrics microBrokerMetrics(Broker broker) {
		return new BrokerMetrics(broker);
	}

}
