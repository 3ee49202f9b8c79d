/**
 * A launcher for a real, isolated RabbitMQ node ({@code rabbitmq-server}) as a JUnit 5 extension.
 */
@NullMarked
package io.micro4j.test.rabbitmq;

import org.jspecify.annotations.NullMarked;
