/**
 * Spring Boot failure analyses for a micro4j service that cannot start: what could not be reached, with which
 * settings, and what to do about it.
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.diagnostics;

import org.jspecify.annotations.NullMarked;
