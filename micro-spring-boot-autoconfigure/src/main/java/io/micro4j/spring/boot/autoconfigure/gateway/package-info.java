/**
 * Auto-configuration of the HTTP API gateway ({@code micro.gateway.*}) in a servlet web application.
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.gateway;

import org.jspecify.annotations.NullMarked;
