/**
 * Auto-configuration of the micro client, the {@link io.micro4j.spring.client.MicroPublisher} and the
 * {@link io.micro4j.spring.annotation.MicroClient} proxies ({@code micro.client.*}).
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
