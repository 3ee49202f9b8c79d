package io.micro4j.benchmarks.rpc;

import java.io.IOException;

import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.server.DefaultServer;

/**
 * The mucp side of the unary RPC benchmark, run in a JVM of its own: a {@link DefaultServer} named
 * {@value #SERVICE} serving {@link Greeter} on {@code 127.0.0.1:<port>}, registered in etcd.
 * <p>
 * Arguments: the etcd address ({@code host:port}) and the port. Prints {@code READY} once started and stops when
 * its standard input closes or the process is terminated.
 */
public final class MucpGreeterServer {

	/** The service name the server registers. */
	public static final String SERVICE = "bench.greeter";

	private MucpGreeterServer() {
	}

	public static void main(String[] args) throws IOException {
		serve(args[0], SERVICE, "127.0.0.1:" + args[1]);
	}

	/**
	 * Starts a {@link DefaultServer} serving {@link Greeter} as {@code service} on {@code address}, registered in
	 * etcd, closed when the JVM exits; prints {@code READY <bound address>}.
	 * @param etcd the etcd address ({@code host:port})
	 * @param service the service name to register
	 * @param address the address to listen on ({@code host:port})
	 */
	public static void serve(String etcd, String service, String address) throws IOException {
		EtcdRegistry registry = EtcdRegistry.builder(etcd).build();
		DefaultServer server = DefaultServer.builder(service).address(address).registry(registry).build();
		server.handle("Greeter", new Greeter());
		server.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.close();
			registry.close();
		}));
		System.out.println("READY " + server.boundAddress().orElseThrow());
		System.out.flush();
	}

}
