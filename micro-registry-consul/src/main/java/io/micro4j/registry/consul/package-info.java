/**
 * The Consul registry: go-micro's agent registrations, encoded tags and TTL checks, read through Consul's health API
 * and watched with blocking queries.
 */
@NullMarked
package io.micro4j.registry.consul;

import org.jspecify.annotations.NullMarked;
