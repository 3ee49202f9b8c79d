/**
 * TLS of the mucp transport and the http broker from Spring Boot SSL bundles ({@code micro.server.ssl.*},
 * {@code micro.client.ssl.*}).
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.ssl;

import org.jspecify.annotations.NullMarked;
