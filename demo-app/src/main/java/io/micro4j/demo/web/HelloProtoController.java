package io.micro4j.demo.web;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.StatusRuntimeException;
import io.micro4j.demo.helloworld.ProtoGreeter;
import io.micro4j.demo.proto.GreeterGrpc;
import io.micro4j.demo.proto.HelloReply;
import io.micro4j.demo.proto.HelloRequest;
import io.micro4j.grpc.GrpcStatuses;
import io.micro4j.internal.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /hello-proto?name=John}: calls {@code helloworld.Greeter/SayHello} ({@link ProtoGreeter}) with the
 * generated blocking stub on Spring gRPC channel {@value #CHANNEL}, whose target {@code micro:///helloworld} picks a
 * node of service {@code helloworld} from the micro registry for each call; answers
 * {@code {"message":"Hello John","server":"127.0.0.1:40123"}}. A failed call becomes the micro error go-micro maps
 * its gRPC status to (e.g. {@code UNAVAILABLE} → 503, {@code DEADLINE_EXCEEDED} → 408), as JSON.
 */
@RestController
public class HelloProtoController {

	/** The channel's name: {@code spring.grpc.client.channel.helloworld.target} sets where it goes. */
	public static final String CHANNEL = "helloworld";

	/** How long one call may take. */
	static final Duration DEADLINE = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(HelloProtoController.class);

	private final GreeterGrpc.GreeterBlockingStub greeter;

	public HelloProtoController(GrpcChannelFactory channels) {
		this.greeter = GreeterGrpc.newBlockingStub(channels.createChannel(CHANNEL));
	}

	/** Greets {@code name} through the {@code helloworld} service's gRPC nodes. */
	@GetMapping("/hello-proto")
	public HelloProtoResponse helloProto(@RequestParam(defaultValue = "World") String name) {
		logger.info("GET /hello-proto name={}", LogSafe.text(name));
		try {
			HelloReply reply = this.greeter.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
				.sayHello(HelloRequest.newBuilder().setName(name).build());
			return new HelloProtoResponse(reply.getMessage(), reply.getServer());
		}
		catch (StatusRuntimeException ex) {
			throw GrpcStatuses.toMicroException("helloworld.Greeter.SayHello", ex.getStatus());
		}
	}

	/** The JSON answer: the greeting and the {@code host:port} of the gRPC server that answered. */
	public record HelloProtoResponse(String message, String server) {
	}

}
