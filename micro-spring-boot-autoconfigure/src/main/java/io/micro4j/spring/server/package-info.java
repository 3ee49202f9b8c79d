/**
 * The server side of the Spring programming model: collecting {@link io.micro4j.spring.annotation.MicroHandler}
 * beans and {@link io.micro4j.spring.annotation.MicroSubscriber} methods, and the lifecycle that starts and stops
 * the micro server with the application context.
 */
@NullMarked
package io.micro4j.spring.server;

import org.jspecify.annotations.NullMarked;
