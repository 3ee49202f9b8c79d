/**
 * The Consul registry's plumbing: the HTTP client, the per-node registration loop and the blocking-query watches.
 * No compatibility promise.
 */
@NullMarked
package io.micro4j.registry.consul.internal;

import org.jspecify.annotations.NullMarked;
