/**
 * Unary RPC over mucp/HTTP against its baselines, and allocation per call.
 */
@NullMarked
package io.micro4j.benchmarks.rpc;

import org.jspecify.annotations.NullMarked;
