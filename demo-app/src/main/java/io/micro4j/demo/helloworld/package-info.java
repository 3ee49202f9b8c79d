/**
 * The protobuf side of the demo: {@code helloworld.Greeter} (from {@code src/main/proto/helloworld.proto}, generated
 * into {@code io.micro4j.demo.proto}) served by Boot's gRPC server and registered as a go-micro gRPC node.
 */
@NullMarked
package io.micro4j.demo.helloworld;

import org.jspecify.annotations.NullMarked;
