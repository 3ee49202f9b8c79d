package io.micro4j.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scopes a caller needs to call an endpoint: on a handler method (that endpoint) or on a handler class (all its
 * endpoints; a method's own annotation wins). A caller needs a valid token granting <b>at least one</b> of the
 * scopes, as a go-micro rule grants access to an account holding the rule's scope; with no scope listed any
 * authenticated caller may call. Enforced by {@link AuthHandlerWrapper} through {@link AccessRules#annotated}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface RequiresScopes {

	/** The scopes, one of which the caller's token must grant. */
	String[] value() default {};

}
