package io.micro4j.grpc;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;

/**
 * A unary gRPC method {@code greeter.Greeter/Hello} on plain strings (no generated code), and servers of it that
 * answer their own name.
 */
final class GreeterGrpc {

	static final MethodDescriptor<String, String> HELLO = MethodDescriptor.<String, String>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName("greeter.Greeter/Hello")
		.setRequestMarshaller(Marshallers.utf8())
		.setResponseMarshaller(Marshallers.utf8())
		.build();

	private GreeterGrpc() {
	}

	/** A started server on a random loopback port whose Hello answers {@code answer.apply(request)}. */
	static Server start(Function<String, String> answer, AtomicInteger calls) throws IOException {
		ServerServiceDefinition service = ServerServiceDefinition.builder("greeter.Greeter")
			.addMethod(HELLO, ServerCalls.asyncUnaryCall((request, response) -> {
				calls.incrementAndGet();
				String reply;
				try {
					reply = answer.apply(request);
				}
				catch (RuntimeException ex) {
					response.onError(Status.INTERNAL.withDescription(ex.getMessage()).asRuntimeException());
					return;
				}
				response.onNext(reply);
				response.onCompleted();
			}))
			.build();
		return NettyServerBuilder.forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
			.addService(service)
			.build()
			.start();
	}

}
