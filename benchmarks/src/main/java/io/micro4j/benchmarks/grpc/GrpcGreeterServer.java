package io.micro4j.benchmarks.grpc;

import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micro4j.benchmarks.rpc.Greeter;
import io.micro4j.benchmarks.rpc.MucpGreeterServer;
import io.micro4j.grpc.GrpcServiceRegistration;
import io.micro4j.grpc.GrpcTransportServer;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.server.DefaultServer;

/**
 * The server side of {@link GrpcDiscoveryBenchmark}, in a JVM of its own: a grpc-java server of
 * {@link GrpcGreeter} on {@code 127.0.0.1:<port>}, registered in etcd as a gRPC node ({@code protocol=grpc}) of
 * {@value #SERVICE}.
 * <p>
 * Next to it, the benchmark's {@link Greeter} as a micro handler twice: {@value #MICRO_GRPC_SERVICE} on the gRPC
 * transport ({@link GrpcTransportServer}) and {@value #MICRO_MUCP_SERVICE} on mucp, both registered in etcd.
 * <p>
 * Arguments: the etcd address ({@code host:port}), the port of the grpc-java server, of the micro gRPC server and of
 * the micro mucp server. Prints {@code READY <port>} once serving and stops when the process is terminated.
 */
public final class GrpcGreeterServer {

	/** The service name the server registers. */
	public static final String SERVICE = "bench.grpc.greeter";

	/** The service name of the micro handler on the gRPC transport. */
	public static final String MICRO_GRPC_SERVICE = "bench.micro.grpc";

	/** The service name of the micro handler on mucp. */
	public static final String MICRO_MUCP_SERVICE = "bench.micro.mucp";

	private GrpcGreeterServer() {
	}

	public static void main(String[] args) throws Exception {
		EtcdRegistry registry = EtcdRegistry.builder(args[0]).build();
		Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])))
			.addService(GrpcGreeter.service())
			.build()
			.start();
		ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
		GrpcServiceRegistration registration = GrpcServiceRegistration.builder(registry, SERVICE)
			.scheduler(timer)
			.build();
		registration.start(server.getServices(), "127.0.0.1:" + server.getPort());
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			registration.deregister();
			server.shutdownNow();
			timer.shutdownNow();
			registry.close();
		}));
		DefaultServer microGrpc = DefaultServer.builder(MICRO_GRPC_SERVICE)
			.registry(registry)
			.transport(GrpcTransportServer.builder().address("127.0.0.1:" + args[2]).build())
			.build();
		microGrpc.handle("Greeter", new Greeter());
		microGrpc.start();
		Runtime.getRuntime().addShutdownHook(new Thread(microGrpc::close));
		MucpGreeterServer.serve(args[0], MICRO_MUCP_SERVICE, "127.0.0.1:" + args[3]);
		System.out.println("READY " + server.getPort());
		System.out.flush();
		server.awaitTermination();
	}

}
