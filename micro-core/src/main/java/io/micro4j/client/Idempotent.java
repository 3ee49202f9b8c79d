package io.micro4j.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an endpoint idempotent: running it twice has the effect of running it once, so the client may retry it
 * after a timeout or a 5xx (by default only failures that certainly did not reach a handler are retried).
 * <p>
 * On a handler method (or a handler class, for all its endpoints) the server advertises it in the endpoint's registry
 * metadata as {@value #METADATA_KEY}{@code =true}, so every micro4j client retries it; on a method of a client
 * interface it applies to that client's calls.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Idempotent {

	/** The endpoint metadata key a server advertises: {@value}. */
	String METADATA_KEY = "idempotent";

}
