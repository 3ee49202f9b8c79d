package io.micro4j.spring.boot.autoconfigure.broker;

import io.micro4j.broker.Broker;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the message broker. Registers {@code microBroker}, a {@link Broker}: a
 * {@link io.micro4j.broker.memory.MemoryBroker} when {@code micro.broker.type} is {@code memory} or unset; any other
 * type needs its plugin module, and without it startup fails naming the module to add: a
 * {@link io.micro4j.broker.rabbitmq.RabbitBroker} for {@code rabbitmq} ({@code micro-broker-rabbitmq}, settings
 * {@code micro.broker.rabbitmq.*}). The broker closes with the context.
 */
@AutoConfiguration
@EnableConfigurationProperties(MicroBrokerProperties.class)
@Import({ MemoryBrokerConfiguration.class, RabbitBrokerConfiguration.class, UnavailableBrokerConfiguration.class })
public final class MicroBrokerAutoConfiguration {

}
