package io.micro4j.grpc;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.grpc.HandlerRegistry;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Endpoint;
import io.micro4j.transport.TransportHandler;
import io.micro4j.transport.TransportResponse;
import io.micro4j.transport.TransportServer;
import org.jspecify.annotations.Nullable;

/**
 * The gRPC transport of a micro server on a grpc-java server that the application runs anyway (Spring Boot's gRPC
 * server): one port for the protobuf services and the micro handlers, as go-micro's gRPC server has. The host
 * server's builder gets {@link #fallbackHandlerRegistry()}: its own services keep their paths, every other path is
 * routed to the micro handlers as {@link GrpcTransportServer} routes them (go-micro's path mapping, content types,
 * deadlines, metadata, errors, streams).
 * <p>
 * The micro server can start only once the host has: call {@link #hostStarted(Server)} first. The node is then
 * registered at the host's address, with the host's protobuf services as endpoints too (unless
 * {@code includeHostServices} is off, when they are registered under a name of their own). After the micro server
 * stopped, calls to its endpoints are refused as a stopping micro4j server refuses them (a go-micro 503 that clients
 * retry on another node); the host's own graceful shutdown drains the rest.
 * <p>
 * When the host serves TLS (its own TLS settings; this class does not change them), say so with
 * {@code secure = true}: the node then registers {@code secure=true}, and micro4j clients dial it with TLS.
 */
public final class HostedGrpcTransportServer implements TransportServer {

	private final boolean includeHostServices;

	private final boolean secure;

	private final HandlerRegistry fallback;

	private volatile @Nullable HandlerRegistry delegate;

	private volatile @Nullable Server host;

	/**
	 * @param includeHostServices whether the node's record lists the host server's protobuf services as endpoints
	 */
	public HostedGrpcTransportServer(boolean includeHostServices) {
		this(includeHostServices, false);
	}

	/**
	 * @param includeHostServices whether the node's record lists the host server's protobuf services as endpoints
	 * @param secure whether the host server speaks TLS, so the node registers {@code secure=true}
	 */
	public HostedGrpcTransportServer(boolean includeHostServices, boolean secure) {
		this.includeHostServices = includeHostServices;
		this.secure = secure;
		HandlerRegistry stopping = new MicroHandlerRegistry(HostedGrpcTransportServer::refuse);
		this.fallback = new HandlerRegistry() {

			@Override
			public @Nullable ServerMethodDefinition<?, ?> lookupMethod(String methodName, @Nullable String authority) {
				HandlerRegistry current = HostedGrpcTransportServer.this.delegate;
				return ((current != null) ? current : stopping).lookupMethod(methodName, authority);
			}

		};
	}

	/** The registry to give the host server's builder as its fallback handler registry. */
	public HandlerRegistry fallbackHandlerRegistry() {
		return this.fallback;
	}

	/** The host server has started: the micro server may start on it. */
	public void hostStarted(Server server) {
		this.host = Objects.requireNonNull(server, "server");
	}

	/** Whether the host server has started. */
	public boolean isHostStarted() {
		Server current = this.host;
		return current != null && !current.isShutdown();
	}

	@Override
	public InetSocketAddress start(TransportHandler handler) {
		Objects.requireNonNull(handler, "handler");
		Server current = this.host;
		if (current == null) {
			throw new IllegalStateException("the gRPC server hosting the micro handlers has not started");
		}
		this.delegate = new MicroHandlerRegistry(handler);
		for (SocketAddress socket : current.getListenSockets()) {
			if (socket instanceof InetSocketAddress inet) {
				return inet;
			}
		}
		return new InetSocketAddress(current.getPort());
	}

	@Override
	public void stop(Duration gracePeriod) {
		this.delegate = null;
	}

	@Override
	public Map<String, String> nodeMetadata() {
		return GrpcTls.nodeMetadata(this.secure);
	}

	@Override
	public List<Endpoint> endpoints() {
		Server current = this.host;
		return (this.includeHostServices && current != null) ? GrpcServiceRegistration.endpoints(current.getServices())
				: List.of();
	}

	/** A micro endpoint called while the micro server is not running: refused before any handler ran. */
	private static CompletableFuture<TransportResponse> refuse(io.micro4j.transport.TransportRequest request,
			InetSocketAddress local, InetSocketAddress remote) {
		String json = MicroException
			.serviceUnavailable(FailureClassifier.SERVER_ID, "server stopping: the micro server on this node is not running")
			.toJson();
		return CompletableFuture.completedFuture(new TransportResponse(200,
				Metadata.builder().put("Micro-Error", json).put("Content-Type", "application/json").build(), new byte[0]));
	}

}
