/**
 * Auto-configuration of the Spring Boot Actuator support: health indicators and the {@code micro} endpoint.
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
