package io.micro4j.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the endpoint a {@link MicroClient} method calls, overriding the name derived from the method.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MicroEndpoint {

	/** The full endpoint name, e.g. {@code Greeter.Hello}. */
	String value();

}
