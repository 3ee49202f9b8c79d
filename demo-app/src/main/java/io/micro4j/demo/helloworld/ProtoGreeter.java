package io.micro4j.demo.helloworld;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.grpc.stub.StreamObserver;
import io.micro4j.demo.proto.GreeterGrpc;
import io.micro4j.demo.proto.HelloReply;
import io.micro4j.demo.proto.HelloRequest;
import io.micro4j.internal.LogSafe;
import io.micro4j.server.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;
import org.springframework.stereotype.Service;

/**
 * {@code helloworld.Greeter/SayHello}, generated from {@code helloworld.proto}: a {@code BindableService} bean, so
 * Boot's gRPC server serves it, and the starter registers that server in the micro registry under
 * {@code micro.grpc.server.name} with endpoint {@code Greeter.SayHello}. Answers {@code Hello <name>} and the
 * {@code host:port} of the gRPC server that answered (the address of its registry node), so callers can see which
 * copy of the demo took the call.
 */
@Service
public class ProtoGreeter extends GreeterGrpc.GreeterImplBase implements ApplicationListener<GrpcServerStartedEvent> {

	private static final Logger logger = LoggerFactory.getLogger(ProtoGreeter.class);

	private volatile String server = "";

	@Override
	public void onApplicationEvent(GrpcServerStartedEvent event) {
		for (SocketAddress socket : event.getServer().getListenSockets()) {
			if (socket instanceof InetSocketAddress inet) {
				this.server = Addresses.advertise(inet);
				return;
			}
		}
	}

	@Override
	public void sayHello(HelloRequest request, StreamObserver<HelloReply> responseObserver) {
		logger.info("helloworld.Greeter/SayHello handling name={}", LogSafe.text(request.getName()));
		responseObserver.onNext(
				HelloReply.newBuilder().setMessage("Hello " + request.getName()).setServer(this.server).build());
		responseObserver.onCompleted();
	}

}
