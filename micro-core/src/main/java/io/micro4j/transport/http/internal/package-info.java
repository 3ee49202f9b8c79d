/**
 * Netty plumbing behind {@link io.micro4j.transport.http.HttpTransportServer} and
 * {@link io.micro4j.transport.http.HttpTransportClient}: connection handlers, the client's pool, address and header
 * helpers. No compatibility promise.
 */
@NullMarked
package io.micro4j.transport.http.internal;

import org.jspecify.annotations.NullMarked;
