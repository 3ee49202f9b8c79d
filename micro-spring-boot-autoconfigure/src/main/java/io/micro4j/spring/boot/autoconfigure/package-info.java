/**
 * Spring Boot auto-configuration of micro4j, one sub-package per concern: {@code registry}, {@code broker},
 * {@code codec}, {@code selector}, {@code client}, {@code server}, {@code observation}, {@code actuate} and {@code cloud}.
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
