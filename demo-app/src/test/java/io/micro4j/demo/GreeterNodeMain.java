package io.micro4j.demo;

import io.micro4j.demo.greeter.Greeter;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.server.DefaultServer;

/**
 * A greeter node in a JVM of its own, for tests that kill one: the demo's {@link Greeter} on a plain
 * {@link DefaultServer} registered in etcd (argument: the etcd endpoint). Prints {@code LISTENING <port>} and stops
 * when its standard input closes.
 */
public final class GreeterNodeMain {

	private GreeterNodeMain() {
	}

	public static void main(String[] args) throws Exception {
		EtcdRegistry registry = EtcdRegistry.builder(args[0]).build();
		DefaultServer server = DefaultServer.builder("greeter").address("127.0.0.1:0").registry(registry).build();
		server.handle(new Greeter());
		server.start();
		System.out.println("LISTENING " + server.boundAddress().orElseThrow().getPort());
		System.out.flush();
		while (System.in.read() >= 0) {
			// until the parent closes our input
		}
		server.stop();
		registry.close();
		System.exit(0);
	}

}
