package io.micro4j.spring.boot.autoconfigure.broker;

import io.micro4j.broker.rabbitmq.RabbitBroker;

/**
 * Adjusts the {@link RabbitBroker.Builder} of the auto-configured RabbitMQ broker after the
 * {@code micro.broker.rabbitmq.*} properties are applied. Customizer beans run in {@code @Order} order.
 */
@FunctionalInterface
public interface RabbitBrokerCustomizer {

	void customize(RabbitBroker.Builder builder);

}
