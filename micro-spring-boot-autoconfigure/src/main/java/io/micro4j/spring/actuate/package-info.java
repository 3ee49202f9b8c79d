/**
 * Spring Boot Actuator support: health indicators of the registry and the broker, the broker's meters, and the
 * {@code micro} endpoint.
 */
@NullMarked
package io.micro4j.spring.actuate;

import org.jspecify.annotations.NullMarked;
