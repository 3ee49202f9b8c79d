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
public final class GreeterClient implements AutoCloseable {

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
	public GreeterClient(String etcd, String service) {
		this(etcd, service, null);
	}

	/**
	 * Connects to etcd; nodes registered with {@code protocol=grpc} are called through {@code grpc} when given.
	 * @param etcd the etcd address ({@code host:port})
	 * @param service the service to greet
	 * @param grpc the transport of gRPC nodes, or {@code null}
	 */
	public GreeterClient(String etcd, String service, io.micro4j.transport.@org.jspecify.annotations.Nullable TransportClient grpc) {
		this.registry = EtcdRegistry.builder(etcd).build();
		this.cache = RegistryCache.builder(this.registry).build();
		this.selector = DefaultSelector.builder(this.cache).strategy(SelectionStrategy.roundRobin()).build();
		this.transport = HttpTransportClient.builder().build();
		DefaultClient.Builder builder = DefaultClient.builder(this.selector, this.transport);
		if (grpc != null) {
			builder.transport("grpc", grpc);
		}
		this.client = builder.build();
		this.request = Request.of(service, "Greeter.Hello", new HelloRequest("John"));
	}

	/** One {@code {"name":"John"}} round trip; throws unless the answer is {@code Hello John}. */
	public void hello() {
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
