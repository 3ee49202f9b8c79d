package io.micro4j.spring.boot.autoconfigure.broker;

import io.micro4j.broker.Broker;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the message broker. Registers {@code microBroker}, a {@link Broker}: a
 * {@link io.micro4j.broker.memory.MemoryBroker} when {@code micro.broker.type} is {@code memory} or unset; an
 * {@link io.micro4j.broker.http.HttpBroker} over the context's registry for {@code http}; a
 * {@code io.micro4j.broker.nats.NatsBroker} for {@code nats} with {@code micro-broker-nats} on the classpath; a
 * {@code io.micro4j.broker.rabbitmq.RabbitBroker} for {@code rabbitmq} with {@code micro-broker-rabbitmq} (settings
 * {@code micro.broker.rabbitmq.*}); any other type needs its plugin module, and without it startup fails naming the
 * module to add. The broker closes with the context.
 */
@AutoConfiguration(after = MicroRegistryAutoConfiguration.class)
@EnableConfigurationProperties(MicroBrokerProperties.class)
@Import({ MemoryBrokerConfiguration.class, HttpBrokerConfiguration.class, NatsBrokerConfiguration.class,
		RabbitBrokerConfiguration.class, UnavailableBrokerConfiguration.class })
public final class MicroBrokerAutoConfiguration {

}
