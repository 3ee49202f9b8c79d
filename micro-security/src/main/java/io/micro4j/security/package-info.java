/**
 * Bearer-token authentication, as go-micro's {@code auth} package and auth wrappers do it: a server
 * {@link io.micro4j.security.AuthHandlerWrapper} and {@link io.micro4j.security.AuthSubscriberWrapper} that verify
 * the {@code Authorization: Bearer} JWT of each call or message with a Spring Security
 * {@link org.springframework.security.oauth2.jwt.JwtDecoder} and enforce {@link io.micro4j.security.AccessRules};
 * the caller's {@link io.micro4j.security.AuthPrincipal} through {@link io.micro4j.security.MicroAuth}; and client
 * decorators that add a token from a {@link io.micro4j.security.TokenSupplier}.
 */
@NullMarked
package io.micro4j.security;

import org.jspecify.annotations.NullMarked;
