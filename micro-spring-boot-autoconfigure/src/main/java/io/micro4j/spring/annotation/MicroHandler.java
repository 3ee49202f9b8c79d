package io.micro4j.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a bean whose public request methods are RPC endpoints of this service: method {@code hello} of a handler
 * named {@code Greeter} is endpoint {@code Greeter.Hello}, as in go-micro.
 * <p>
 * An endpoint method is declared by the bean's class (or an interface it implements) and takes one request parameter,
 * plus optionally a {@link io.micro4j.metadata.Metadata} parameter. Getters, setters, lifecycle and {@code Aware}
 * methods, {@link Object}'s methods and methods only inherited from a superclass never are endpoints;
 * {@link io.micro4j.server.NotAnEndpoint} keeps any other method out. See
 * {@link io.micro4j.server.Server#handle(String, Object)}.
 * <p>
 * The annotation is a {@link Component} stereotype, so an annotated class found by component scanning becomes a
 * bean. The handlers are added to the micro server before it starts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface MicroHandler {

	/**
	 * The handler name, the first half of each endpoint name; empty for the class's simple name (the user class,
	 * never a CGLIB subclass).
	 */
	@AliasFor("name")
	String value() default "";

	/** Alias for {@link #value()}. */
	@AliasFor("value")
	String name() default "";

}
