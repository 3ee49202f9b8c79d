package io.micro4j.spring.boot.autoconfigure.broker;

import io.micro4j.broker.Broker;
import io.micro4j.spring.boot.autoconfigure.MicroModules;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Imported last: when no configuration above supplied a broker for {@code micro.broker.type}, creating the broker
 * fails with the module to add.
 */
@Configuration(proxyBeanMethods = false)
class UnavailableBrokerConfiguration {

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	Broker unavailableMicroBroker(MicroBrokerProperties properties) {
		throw MicroModules.missingBroker(properties.getType());
	}

}
