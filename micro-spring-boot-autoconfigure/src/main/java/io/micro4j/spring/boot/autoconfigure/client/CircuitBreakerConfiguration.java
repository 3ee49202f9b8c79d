package io.micro4j.spring.boot.autoconfigure.client;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micro4j.client.CallWrapper;
import io.micro4j.client.circuitbreaker.CircuitBreakerCallWrapper;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The Resilience4j beans of the circuit breaker stage; only loaded when Resilience4j is on the class path.
 */
@Configuration(proxyBeanMethods = false)
class CircuitBreakerConfiguration {

	/** The name of the breakers' registry bean. */
	static final String REGISTRY_BEAN_NAME = "microCircuitBreakerRegistry";

	@Bean(REGISTRY_BEAN_NAME)
	@ConditionalOnMissingBean(name = REGISTRY_BEAN_NAME)
	CircuitBreakerRegistry microCircuitBreakerRegistry(MicroClientProperties properties) {
		MicroClientProperties.CircuitBreaker breaker = properties.getCircuitBreaker();
		try {
			return CircuitBreakerRegistry.of(CircuitBreakerConfig.from(CircuitBreakerCallWrapper.defaultConfig())
				.failureRateThreshold(breaker.getFailureRateThreshold())
				.slidingWindowSize(breaker.getSlidingWindowSize())
				.minimumNumberOfCalls(breaker.getMinimumCalls())
				.waitDurationInOpenState(breaker.getWaitInOpen())
				.permittedNumberOfCallsInHalfOpenState(breaker.getHalfOpenCalls())
				.build());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("micro.client.circuit-breaker", null, ex.getMessage());
		}
	}

	@Bean
	@ConditionalOnMissingBean(name = "microCircuitBreakerCallWrapper")
	OrderedCircuitBreaker microCircuitBreakerCallWrapper(
			@org.springframework.beans.factory.annotation.Qualifier(REGISTRY_BEAN_NAME) CircuitBreakerRegistry registry) {
		return new OrderedCircuitBreaker(registry);
	}

	/** Binds the breakers' state and call meters, when resilience4j-micrometer is present. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics",
			"io.micrometer.core.instrument.MeterRegistry" })
	static class CircuitBreakerMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "microCircuitBreakerMetrics")
		io.micrometer.core.instrument.binder.MeterBinder microCircuitBreakerMetrics(
				@org.springframework.beans.factory.annotation.Qualifier(REGISTRY_BEAN_NAME) CircuitBreakerRegistry registry) {
			return io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics
				.ofCircuitBreakerRegistry(registry);
		}

	}

	/** The wrapper, placed at {@link CallWrapper#CIRCUIT_BREAKER_ORDER}. */
	static final class OrderedCircuitBreaker implements CallWrapper, Ordered {

		private final CircuitBreakerCallWrapper delegate;

		OrderedCircuitBreaker(CircuitBreakerRegistry registry) {
			this.delegate = new CircuitBreakerCallWrapper(registry);
		}

		@Override
		public io.micro4j.client.CallFunction wrap(io.micro4j.client.CallFunction next) {
			return this.delegate.wrap(next);
		}

		@Override
		public int getOrder() {
			return CIRCUIT_BREAKER_ORDER;
		}

	}

}
