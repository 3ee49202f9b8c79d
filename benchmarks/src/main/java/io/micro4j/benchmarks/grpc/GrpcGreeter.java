package io.micro4j.benchmarks.grpc;

import java.nio.charset.StandardCharsets;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.micro4j.grpc.Marshallers;

/**
 * The benchmark's gRPC greeter without generated code: {@code bench.Greeter/Hello} with JSON bodies as bytes,
 * answering {@code {"name":"John"}} with {@code {"msg":"Hello John"}}.
 */
final class GrpcGreeter {

	static final byte[] REQUEST = "{\"name\":\"John\"}".getBytes(StandardCharsets.UTF_8);

	static final byte[] RESPONSE = "{\"msg\":\"Hello John\"}".getBytes(StandardCharsets.UTF_8);

	static final MethodDescriptor<byte[], byte[]> HELLO = MethodDescriptor.<byte[], byte[]>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName("bench.Greeter/Hello")
		.setRequestMarshaller(Marshallers.bytes())
		.setResponseMarshaller(Marshallers.bytes())
		.build();

	private GrpcGreeter() {
	}

	static ServerServiceDefinition service() {
		return ServerServiceDefinition.builder("bench.Greeter")
			.addMethod(HELLO, ServerCalls.asyncUnaryCall((request, response) -> {
				response.onNext(RESPONSE);
				response.onCompleted();
			}))
			.build();
	}

}
