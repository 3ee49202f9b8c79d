package io.micro4j.benchmarks.rpc;

import io.micro4j.benchmarks.rpc.Greeter.HelloRequest;
import io.micro4j.benchmarks.rpc.Greeter.HelloResponse;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.selector.SelectionStrategy;
import io.micro4j.transport.http.HttpTransportClient;

/**
 * The micro4j client of the unary RPC benchmark: {@link DefaultClient} through its own {@link EtcdRegistry}, a
 * {@link RegistryCache} and a round-robin {@link DefaultSelector}, over {@link HttpTransportClient}, calling
 * {@code Greeter.Hello} of one service.
 */
final class GreeterClient implements AutoCloseable {

	private final EtcdRegistry registry;

	private final RegistryCache cache;

	private final DefaultSelector selector;

	private final HttpTransportClient transport;

	private final DefaultClient client;

	private final Request request;

	/**
	 * Connects to etcd.
	 * @param etcd the etcd address ({@code host:port})
	 * @param service the service to greet
	 */
	GreeterClient(String etcd, String service) {
		this.registry = EtcdRegistry.builder(etcd).build();
		this.cache = RegistryCache.builder(this.registry).build();
		this.selector = DefaultSelector.builder(this.cache).strategy(SelectionStrategy.roundRobin()).build();
		this.transport = HttpTransportClient.builder().build();
		this.client = DefaultClient.builder(this.selector, this.transport).build();
		this.request = Request.of(service, "Greeter.Hello", new HelloRequest("John"));
	}

	/** One {@code {"name":"John"}} round trip; throws unless the answer is {@code Hello John}. */
	void hello() {
		HelloResponse response = this.client.call(this.request, HelloResponse.class);
		if (!"Hello John".equals(response.msg())) {
			throw new IllegalStateException("unexpected answer " + response);
		}
	}

	@Override
	public void close() {
		this.client.close();
		this.transport.close();
		this.selector.close();
		this.cache.close();
		this.registry.close();
	}

}
