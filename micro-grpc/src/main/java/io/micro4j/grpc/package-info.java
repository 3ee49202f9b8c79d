/**
 * gRPC on the micro registry: {@code micro:///<service>} targets for any grpc-java channel, resolved from the
 * registry and balanced by micro4j's selector.
 */
@NullMarked
package io.micro4j.grpc;

import org.jspecify.annotations.NullMarked;
