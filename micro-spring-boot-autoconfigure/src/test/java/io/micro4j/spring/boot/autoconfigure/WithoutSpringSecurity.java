package io.micro4j.spring.boot.autoconfigure;

/**
 * Spring Security is on this module's test class path (the dashboard's security test); web applications started by
 * other tests leave its servlet auto-configurations out with {@link #PROPERTY}, so that they are not guarded by a
 * generated password.
 */
public final class WithoutSpringSecurity {

	/** {@code spring.autoconfigure.exclude} naming Spring Security's servlet auto-configurations. */
	public static final String PROPERTY = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration";

	private WithoutSpringSecurity() {
	}

}
