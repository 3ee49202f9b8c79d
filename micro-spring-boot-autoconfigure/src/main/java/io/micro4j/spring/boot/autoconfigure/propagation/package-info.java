/**
 * Auto-configuration that lets the current micro4j call context, observation and trace follow Spring's task
 * executors and {@code @Async} methods.
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.propagation;

import org.jspecify.annotations.NullMarked;
