package io.micro4j.benchmarks.grpc;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.registry.etcd.EtcdRegistry;

/**
 * The server side of {@link GrpcDiscoveryBenchmark}, in a JVM of its own: a grpc-java server of
 * {@link GrpcGreeter} on {@code 127.0.0.1:<port>}, registered in etcd as a gRPC node ({@code protocol=grpc}) of
 * {@value #SERVICE}.
 * <p>
 * Arguments: the etcd address ({@code host:port}) and the port. Prints {@code READY <port>} once serving and stops
 * when the process is terminated.
 */
public final class GrpcGreeterServer {

	/** The service name the server registers. */
	public static final String SERVICE = "bench.grpc.greeter";

	private GrpcGreeterServer() {
	}

	public static void main(String[] args) throws Exception {
		EtcdRegistry registry = EtcdRegistry.builder(args[0]).build();
		Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])))
			.addService(GrpcGreeter.service())
			.build()
			.start();
		Service service = Service.of(SERVICE, "latest", List.of(new Node(SERVICE + "-1", "127.0.0.1:" + server.getPort(),
				Map.of("protocol", "grpc", "server", "grpc", "transport", "grpc", "registry", "etcd"))));
		registry.register(service, Duration.ofSeconds(60));
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			registry.deregister(service);
			server.shutdownNow();
			registry.close();
		}));
		System.out.println("READY " + server.getPort());
		System.out.flush();
		server.awaitTermination();
	}

}
