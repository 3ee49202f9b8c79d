/**
 * {@link io.micro4j.broker.rabbitmq.RabbitBroker}: go-micro's RabbitMQ broker wire on the RabbitMQ Java client.
 */
@NullMarked
package io.micro4j.broker.rabbitmq;

import org.jspecify.annotations.NullMarked;
