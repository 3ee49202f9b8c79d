package io.micro4j.cli;

import java.io.IOException;

import io.micro4j.MicroService;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.test.etcd.EtcdServer;

/**
 * The services the CLI tests talk to, registered in one etcd: the Java micro4j greeter {@value #JAVA} and the
 * go-micro greeter {@code greeter} (the golden record of go-micro-observed.md, pointing at a {@link GoMicroPeer}).
 */
final class Greeters implements AutoCloseable {

	/** The Java greeter's service name. */
	static final String JAVA = "java-greeter";

	final EtcdRegistry registry;

	final MicroService javaGreeter;

	final GoMicroPeer goGreeter;

	private Greeters(EtcdRegistry registry, MicroService javaGreeter, GoMicroPeer goGreeter) {
		this.registry = registry;
		this.javaGreeter = javaGreeter;
		this.goGreeter = goGreeter;
	}

	/** Starts both greeters and registers them in {@code etcd}. */
	static Greeters start(EtcdServer etcd) throws IOException {
		EtcdRegistry registry = EtcdRegistry.builder(etcd.address()).build();
		MicroService javaGreeter = MicroService.builder(JAVA)
			.registry(registry)
			.address("127.0.0.1:0")
			.handler(new Greeter())
			.build()
			.start();
		GoMicroPeer goGreeter = new GoMicroPeer();
		etcd.etcdctl("put", GoMicroPeer.KEY, goGreeter.record());
		return new Greeters(registry, javaGreeter, goGreeter);
	}

	/** {@code 127.0.0.1:<port>} of the Java greeter. */
	String javaAddress() {
		return this.javaGreeter.boundAddress().map(address -> "127.0.0.1:" + address.getPort()).orElseThrow();
	}

	@Override
	public void close() {
		this.javaGreeter.close();
		this.goGreeter.close();
		this.registry.close();
	}

}
