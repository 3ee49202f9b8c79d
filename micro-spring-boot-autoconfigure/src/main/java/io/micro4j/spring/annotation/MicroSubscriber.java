package io.micro4j.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Subscribes a bean method to a broker topic. The method's first parameter receives the decoded payload; an
 * optional second parameter of type {@link io.micro4j.metadata.Metadata} receives the message headers.
 * <p>
 * The subscription is made when the micro server starts and ends when it stops.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MicroSubscriber {

	/** The topic, e.g. {@code greeter.events}; {@code ${...}} placeholders are resolved. */
	String topic();

	/**
	 * The queue group: each message goes to one subscriber of the group. Empty (the default) delivers every message
	 * to every subscriber.
	 */
	String queue() default "";

}
