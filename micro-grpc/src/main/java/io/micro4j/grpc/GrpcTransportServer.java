package io.micro4j.grpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.micro4j.internal.Arguments;
import io.micro4j.transport.TransportHandler;
import io.micro4j.transport.TransportServer;
import io.micro4j.transport.http.internal.HostPort;
import org.jspecify.annotations.Nullable;

/**
 * The gRPC transport of a micro server, as go-micro's gRPC server serves handlers: any path
 * {@code /<anything.>Handler/Method} reaches endpoint {@code Handler.Method} (only the last dotted segment of the
 * service part counts), JSON bodies with {@code application/grpc+json}, protobuf messages with
 * {@code application/grpc+proto} or plain {@code application/grpc}; metadata {@code timeout} (nanoseconds) and
 * {@code grpc-timeout} give the deadline, the other metadata becomes call metadata; errors travel as go-micro sends
 * them (status code mapped from the micro code, the error JSON as status message, {@code errors.Error} in
 * {@code grpc-status-details-bin}), and a method no handler serves answers {@code UNIMPLEMENTED}.
 * <p>
 * Give it to {@code DefaultServer.builder(...).transport(...)}: the node is then registered with
 * {@code protocol=grpc}, {@code server=grpc}, {@code transport=grpc}, and the server's pipeline (limits, deadlines,
 * wrappers, observation) applies unchanged. A grpc-java server on Netty carries the calls; requests are handed to
 * the micro server's executor, never run on its event loop.
 */
public final class GrpcTransportServer implements TransportServer {

	/** The node metadata of gRPC nodes, as go-micro's gRPC server registers them. */
	public static final Map<String, String> NODE_METADATA = Map.of("protocol", "grpc", "server", "grpc", "transport",
			"grpc");

	/** How long a connection without calls stays open by default: 90 s, as the HTTP transport's idle timeout. */
	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);

	/** The default bound of one request message: 4 MiB, grpc-java's and go-micro's default. */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

	private final String address;

	private final int maxMessageSize;

	private final Duration idleTimeout;

	private @Nullable Server server;

	private GrpcTransportServer(Builder builder) {
		this.address = builder.address;
		this.maxMessageSize = builder.maxMessageSize;
		this.idleTimeout = builder.idleTimeout;
	}

	public static Builder builder() {
		return new Builder();
	}

	@Override
	public synchronized InetSocketAddress start(TransportHandler handler) {
		Objects.requireNonNull(handler, "handler");
		if (this.server != null) {
			throw new IllegalStateException("already started");
		}
		InetSocketAddress bind = HostPort.parse(this.address).bindAddress();
		Server started;
		try {
			started = NettyServerBuilder.forAddress(bind)
				.directExecutor()
				.maxInboundMessageSize(this.maxMessageSize)
				.maxConnectionIdle(this.idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
				.fallbackHandlerRegistry(new MicroHandlerRegistry(handler))
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot listen on " + this.address + " for gRPC: " + ex.getMessage(), ex);
		}
		this.server = started;
		InetSocketAddress local = (InetSocketAddress) started.getListenSockets().get(0);
		return new InetSocketAddress(bind.getAddress(), local.getPort());
	}

	@Override
	public Map<String, String> nodeMetadata() {
		return NODE_METADATA;
	}

	@Override
	public synchronized void stop(Duration gracePeriod) {
		Server current = this.server;
		if (current == null) {
			return;
		}
		this.server = null;
		current.shutdown();
		try {
			if (!current.awaitTermination(Math.max(0, gracePeriod.toMillis()), TimeUnit.MILLISECONDS)) {
				current.shutdownNow();
				current.awaitTermination(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			current.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	/** Options of a {@link GrpcTransportServer}. */
	public static final class Builder {

		private String address = ":0";

		private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

		private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

		private Builder() {
		}

		/**
		 * How long a connection that carries no call stays open before the server closes it gracefully (GOAWAY); 90 s
		 * by default, above the 60 s of micro4j's clients, so they close first.
		 */
		public Builder idleTimeout(Duration timeout) {
			this.idleTimeout = Arguments.positive("idleTimeout", timeout);
			return this;
		}

		/** The address to listen on ({@code host:port}, {@code :port}); {@code :0} (any free port) by default. */
		public Builder address(String address) {
			this.address = Objects.requireNonNull(address, "address");
			return this;
		}

		/** The largest request message accepted; larger ones fail with {@code RESOURCE_EXHAUSTED}. */
		public Builder maxMessageSize(int bytes) {
			this.maxMessageSize = Arguments.positive("maxMessageSize", bytes);
			return this;
		}

		public GrpcTransportServer build() {
			return new GrpcTransportServer(this);
		}

	}

}
