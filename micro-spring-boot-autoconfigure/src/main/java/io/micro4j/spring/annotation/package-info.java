/**
 * The annotations of the Spring programming model: {@link io.micro4j.spring.annotation.MicroHandler},
 * {@link io.micro4j.spring.annotation.MicroClient}, {@link io.micro4j.spring.annotation.MicroEndpoint},
 * {@link io.micro4j.spring.annotation.MicroSubscriber} and {@link io.micro4j.spring.annotation.EnableMicroClients}.
 */
@NullMarked
package io.micro4j.spring.annotation;

import org.jspecify.annotations.NullMarked;
