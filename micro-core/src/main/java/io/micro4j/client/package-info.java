/**
 * The RPC client: discovery, selection, retries, deadlines and call wrappers.
 */
@NullMarked
package io.micro4j.client;

import org.jspecify.annotations.NullMarked;
