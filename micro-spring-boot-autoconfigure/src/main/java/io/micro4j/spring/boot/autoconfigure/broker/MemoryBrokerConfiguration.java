package io.micro4j.spring.boot.autoconfigure.broker;

import io.micro4j.broker.Broker;
import io.micro4j.broker.memory.MemoryBroker;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The in-process broker, the default. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "micro.broker.type", havingValue = "memory", matchIfMissing = true)
class MemoryBrokerConfiguration {

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	MemoryBroker microBroker() {
		return new MemoryBroker();
	}

}
