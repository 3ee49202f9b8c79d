package io.micro4j.grpc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.StringValue;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.server.DefaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A micro server on the gRPC transport, called as go-micro's gRPC client calls it (HTTP/2 frames with
 * {@code application/grpc+json}) and as any grpc-java client does (protobuf): the answers, errors and registry
 * record go-micro's gRPC server gives (see the observed vectors).
 */
class GrpcTransportServerTests {

	private static final Map<String, String> JSON = Map.of("content-type", "application/grpc+json", "te", "trailers");

	/** What go-micro's gRPC server sent in grpc-status-details-bin for the "error" request. */
	private static final String OBSERVED_DETAILS = "CAMSVnsiaWQiOiJncmVldGVyLmhlbGxvIiwiY29kZSI6NDAwLCJkZXRhaWwiOiJiYWQgbmFtZSBcImVycm9yXCIiLCJzdGF0dXMiOiJCYWQgUmVxdWVzdCJ9GlUKIHR5cGUuZ29vZ2xlYXBpcy5jb20vZXJyb3JzLkVycm9yEjEKDWdyZWV0ZXIuaGVsbG8QkAMaEGJhZCBuYW1lICJlcnJvciIiC0JhZCBSZXF1ZXN0";

	private final MemoryRegistry registry = new MemoryRegistry();

	private DefaultServer server;

	private int port;

	public record HelloRequest(String name) {
	}

	public record HelloResponse(String msg) {
	}

	public static class Greeter {

		public HelloResponse hello(HelloRequest request, Metadata metadata) {
			if ("error".equals(request.name())) {
				throw MicroException.badRequest("greeter.hello", "bad name %q", request.name());
			}
			if ("who".equals(request.name())) {
				return new HelloResponse(metadata.getOrNull("Micro-From-Service") + " " + metadata.getOrNull("Timeout"));
			}
			return new HelloResponse("Hello " + request.name());
		}

		public HelloResponse slow(HelloRequest request) throws InterruptedException {
			Thread.sleep(3000);
			return new HelloResponse("late");
		}

	}

	public static class Echo {

		public StringValue echo(StringValue value) {
			return StringValue.of("echo " + value.getValue());
		}

	}

	@BeforeEach
	void start() {
		this.server = DefaultServer.builder("greeter")
			.registry(this.registry)
			.transport(GrpcTransportServer.builder().address("127.0.0.1:0").build())
			.build();
		this.server.handle(new Greeter());
		this.server.handle(new Echo());
		this.server.start();
		this.port = this.server.boundAddress().orElseThrow().getPort();
	}

	@AfterEach
	void stop() {
		this.server.stop();
		this.registry.close();
	}

	@Test
	void theNodeIsRegisteredAsAGoMicroGrpcNode() {
		Service service = this.registry.getService("greeter").get(0);
		Node node = service.nodes().get(0);

		assertThat(node.metadata()).containsEntry("protocol", "grpc")
			.containsEntry("server", "grpc")
			.containsEntry("transport", "grpc");
		assertThat(node.address()).isEqualTo("127.0.0.1:" + this.port);
		assertThat(service.endpoints()).extracting(Endpoint::name).contains("Greeter.Hello", "Echo.Echo");
	}

	@Test
	void aJsonCallAsGoMicroSendsItIsAnsweredWithStatusZeroAndTheJsonMessage() throws Exception {
		H2c.Answer answer = H2c.post(this.port, "/greeter.Greeter/Hello", JSON, H2c.frame("{\"name\":\"John\"}"));

		assertThat(answer.headers()).containsEntry(":status", "200").containsEntry("grpc-status", "0");
		assertThat(answer.message()).isEqualTo("{\"msg\":\"Hello John\"}");
	}

	@Test
	void onlyTheLastDottedSegmentOfTheServiceCounts() throws Exception {
		for (String path : List.of("/Greeter/Hello", "/x.y.Greeter/Hello", "/helloworld.Greeter/Hello")) {
			H2c.Answer answer = H2c.post(this.port, path, JSON, H2c.frame("{\"name\":\"Ann\"}"));

			assertThat(answer.headers()).as(path).containsEntry("grpc-status", "0");
			assertThat(answer.message()).as(path).isEqualTo("{\"msg\":\"Hello Ann\"}");
		}
	}

	@Test
	void aHandlerErrorTravelsAsGoMicroSendsIt() throws Exception {
		H2c.Answer answer = H2c.post(this.port, "/greeter.Greeter/Hello", JSON, H2c.frame("{\"name\":\"error\"}"));

		assertThat(answer.headers()).containsEntry("grpc-status", "3");
		assertThat(URLDecoder.decode(answer.headers().get("grpc-message"), StandardCharsets.UTF_8)).isEqualTo(
				"{\"id\":\"greeter.hello\",\"code\":400,\"detail\":\"bad name \\\"error\\\"\",\"status\":\"Bad Request\"}");
		assertThat(Base64.getDecoder().decode(answer.headers().get("grpc-status-details-bin")))
			.isEqualTo(Base64.getDecoder().decode(OBSERVED_DETAILS));
	}

	@Test
	void anUnknownMethodAnswersUnimplemented() throws Exception {
		H2c.Answer answer = H2c.post(this.port, "/greeter.Greeter/Nope", JSON, H2c.frame("{}"));

		assertThat(answer.headers()).containsEntry("grpc-status", "12")
			.containsEntry("grpc-message", "unknown service Greeter.Nope");
	}

	@Test
	void metadataBecomesCallMetadataAndTimeoutTheDeadline() throws Exception {
		H2c.Answer answer = H2c.post(this.port, "/greeter.Greeter/Hello",
				Map.of("content-type", "application/grpc+json", "te", "trailers", "micro-from-service", "front",
						"timeout", "2000000000"),
				H2c.frame("{\"name\":\"who\"}"));

		assertThat(answer.headers()).containsEntry("grpc-status", "0");
		assertThat(answer.message()).startsWith("{\"msg\":\"front ");
		long timeout = Long.parseLong(answer.message().replaceAll("[^0-9]", ""));
		assertThat(timeout).isBetween(1L, 2_000_000_000L);
	}

	@Test
	void aCallPastItsTimeoutAnswersDeadlineExceeded() throws Exception {
		long start = System.nanoTime();
		H2c.Answer answer = H2c.post(this.port, "/greeter.Greeter/Slow",
				Map.of("content-type", "application/grpc+json", "te", "trailers", "timeout", "200000000"),
				H2c.frame("{\"name\":\"x\"}"));

		assertThat(answer.headers()).containsEntry("grpc-status", "4");
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2500);
	}

	@Test
	void aGrpcJavaClientCallsAProtobufHandler() {
		ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", this.port).usePlaintext().build();
		try {
			MethodDescriptor<StringValue, StringValue> echo = MethodDescriptor.<StringValue, StringValue>newBuilder()
				.setType(MethodDescriptor.MethodType.UNARY)
				.setFullMethodName("echo.Echo/Echo")
				.setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
				.setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
				.build();

			assertThat(ClientCalls.blockingUnaryCall(channel, echo, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
					StringValue.of("hi")).getValue()).isEqualTo("echo hi");
			MethodDescriptor<StringValue, StringValue> missing = echo.toBuilder().setFullMethodName("echo.Echo/Missing").build();
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> ClientCalls.blockingUnaryCall(channel, missing,
						CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of("hi")))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
		}
		finally {
			channel.shutdownNow();
		}
	}

}
