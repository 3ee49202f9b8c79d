/**
 * Auto-configuration of bearer-token authentication ({@code micro.auth.*}, {@code micro.client.auth.*}) when
 * micro-security is on the class path.
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
