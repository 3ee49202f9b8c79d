/**
 * The client side of the Spring programming model: proxies for {@link io.micro4j.spring.annotation.MicroClient}
 * interfaces, their discovery, per-service call options, and {@link io.micro4j.spring.client.MicroPublisher}.
 */
@NullMarked
package io.micro4j.spring.client;

import org.jspecify.annotations.NullMarked;
