package io.micro4j.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Declares an interface as a typed client of one micro service; an injectable proxy bean implements it.
 * <p>
 * Each abstract method calls endpoint {@code <handler>.<Method>} ({@code hello} → {@code Greeter.Hello}) unless
 * {@link MicroEndpoint} names another. The one non-{@link io.micro4j.metadata.Metadata} parameter is the request
 * body; a {@code Metadata} parameter is sent as request metadata. A {@code CompletableFuture<T>} return type makes
 * the call asynchronous; any other return type blocks for the decoded answer.
 * <p>
 * Interfaces are found in the auto-configuration packages (the package of the {@code @SpringBootApplication} class
 * and below), or in the packages named by {@link EnableMicroClients}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MicroClient {

	/** The service name, e.g. {@code greeter}; {@code ${...}} placeholders are resolved. */
	@AliasFor("service")
	String value() default "";

	/** Alias for {@link #value()}. */
	@AliasFor("value")
	String service() default "";

	/**
	 * The handler name used for methods without {@link MicroEndpoint}; empty for the interface's simple name
	 * without a trailing {@code Client} ({@code GreeterClient} → {@code Greeter}).
	 */
	String handler() default "";

}
