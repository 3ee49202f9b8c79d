package io.micro4j.grpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.micro4j.internal.Arguments;
import io.micro4j.transport.TlsOptions;
import io.micro4j.transport.TransportHandler;
import io.micro4j.transport.TransportServer;
import io.micro4j.transport.http.internal.HostPort;
import io.micro4j.transport.http.internal.TlsContexts;
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
 * <p>
 * TLS ({@link Builder#tls(Supplier)}): the port speaks HTTP/2 over TLS only (ALPN {@code h2}), with the certificate
 * in force when each connection is accepted, asking clients for theirs per {@link TlsOptions#clientAuth()}; the node
 * metadata then says {@code secure=true}, which tells micro4j clients and {@code micro:///} channels to dial it with
 * TLS. A client that fails the handshake (plaintext, an untrusted or missing certificate) loses that connection only.
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

	private final @Nullable Supplier<TlsOptions> tls;

	private @Nullable Server server;

	private GrpcTransportServer(Builder builder) {
		this.address = builder.address;
		this.maxMessageSize = builder.maxMessageSize;
		this.idleTimeout = builder.idleTimeout;
		this.tls = builder.tls;
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
		NettyServerBuilder builder = NettyServerBuilder.forAddress(bind);
		if (this.tls != null) {
			TlsContexts contexts = TlsContexts.forServer(this.tls, GrpcTls::server);
			contexts.current(); // invalid settings fail the start, not the first handshake
			builder.sslContext(GrpcTls.following(contexts::current));
		}
		Server started;
		try {
			started = builder.directExecutor()
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

	/** gRPC's node metadata; with TLS also {@code secure=true}, so that clients dial this node with TLS. */
	@Override
	public Map<String, String> nodeMetadata() {
		return GrpcTls.nodeMetadata(this.tls != null);
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

		private @Nullable Supplier<TlsOptions> tls;

		private Builder() {
		}

		/** TLS with fixed certificates; see {@link #tls(Supplier)}. */
		public Builder tls(@Nullable TlsOptions tls) {
			return tls((tls != null) ? () -> tls : null);
		}

		/**
		 * Speak TLS only, with the options {@code tls} gives when each connection is accepted (a supplier that
		 * returns new options after certificate files changed applies them to new connections without a restart);
		 * the options need a certificate and may ask clients for theirs ({@link TlsOptions#clientAuth()}).
		 * {@code null} (default): plaintext (HTTP/2 with prior knowledge).
		 */
		public Builder tls(@Nullable Supplier<TlsOptions> tls) {
			this.tls = tls;
			return this;
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
