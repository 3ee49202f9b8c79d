/**
 * Auto-configuration of gRPC on the micro registry ({@code micro-grpc}).
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.grpc;

import org.jspecify.annotations.NullMarked;
