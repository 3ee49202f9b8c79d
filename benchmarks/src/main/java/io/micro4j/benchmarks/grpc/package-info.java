/**
 * gRPC benchmarks: grpc-java through {@code micro:///} discovery next to grpc-java on a static address.
 */
@NullMarked
package io.micro4j.benchmarks.grpc;

import org.jspecify.annotations.NullMarked;
