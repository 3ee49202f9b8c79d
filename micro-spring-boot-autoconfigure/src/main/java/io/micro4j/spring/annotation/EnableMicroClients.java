package io.micro4j.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.micro4j.spring.client.MicroClientsRegistrar;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/**
 * Scans the given packages for {@link MicroClient} interfaces and registers a proxy bean for each.
 * <p>
 * Without this annotation the auto-configuration scans the auto-configuration packages; with it, only the packages
 * named here (or the annotated class's package when none are named) are scanned.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(MicroClientsRegistrar.class)
public @interface EnableMicroClients {

	/** Alias for {@link #basePackages()}. */
	@AliasFor("basePackages")
	String[] value() default {};

	/** The packages to scan. */
	@AliasFor("value")
	String[] basePackages() default {};

	/** Classes whose packages are scanned; a type-safe alternative to {@link #basePackages()}. */
	Class<?>[] basePackageClasses() default {};

	/** Client interfaces to register without scanning. */
	Class<?>[] clients() default {};

}
