/**
 * The RPC server: handler reflection to endpoints, dispatch, registration loop and graceful stop.
 */
@NullMarked
package io.micro4j.server;

import org.jspecify.annotations.NullMarked;
