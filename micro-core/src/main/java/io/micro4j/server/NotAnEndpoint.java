package io.micro4j.server;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keeps a public method of a handler from becoming an endpoint, for a method that has an endpoint's shape (one request
 * parameter, optionally a {@link io.micro4j.metadata.Metadata} one) but is meant for the application only.
 * <p>
 * Put it on the method of the handler class or on the interface method it implements. Methods that never are
 * endpoints need no annotation: those without a request parameter (getters, {@code destroy()}), setters, methods only
 * inherited from a superclass and methods of JDK or Spring types ({@code close()}, {@code afterPropertiesSet()},
 * {@code Aware} setters). See {@link Server#handle(String, Object)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NotAnEndpoint {

}
