package io.micro4j.transport.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Supplier;

import io.micro4j.internal.Arguments;
import io.micro4j.transport.TlsOptions;
import io.micro4j.transport.TransportHandler;
import io.micro4j.transport.TransportServer;
import io.micro4j.transport.http.internal.EventLoops;
import io.micro4j.transport.http.internal.FileDescriptors;
import io.micro4j.transport.http.internal.GoDuration;
import io.micro4j.transport.http.internal.HostPort;
import io.micro4j.transport.http.internal.ServerContext;
import io.micro4j.transport.http.internal.TlsContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mucp over HTTP/1.1 on Netty: the server side of go-micro's {@code http} transport.
 * <p>
 * Each connection is kept alive and carries one request at a time: a {@code POST} (to any path; go-micro uses
 * {@code /}) whose headers become the request's {@link io.micro4j.metadata.Metadata} (canonical keys, the first value
 * of a repeated header; {@code Host} and {@code Transfer-Encoding} are left out, as Go's {@code net/http} does) and
 * whose body is collected whole. The {@link TransportHandler} is called on the connection's I/O thread and the
 * response is written when its future completes, with the response's status, headers and body and a
 * {@code Content-Length}; the connection reads nothing else meanwhile, so responses keep the order of requests.
 * <p>
 * Answers of the transport itself, each with go-micro's error JSON in {@code Micro-Error} and {@code X-Micro-Error}
 * and an empty body:
 * <ul>
 * <li>413 (id {@code go.micro.transport}) for a body over {@link Builder#maxBodySize(int)}, judged from
 * {@code Content-Length} before the body is read or counted while a chunked body arrives; then the connection is
 * closed (after reading and discarding input for up to a second, so the client can read the answer);</li>
 * <li>405 for a method other than {@code POST}; the connection stays open;</li>
 * <li>400 for a request that is not valid HTTP/1.1; then the connection is closed;</li>
 * <li>500 (id {@code go.micro.server} unless the failure is a {@link io.micro4j.errors.MicroException}) when the
 * handler's future fails or its response cannot be written as HTTP; then the connection is closed.</li>
 * </ul>
 * A problem on one connection never affects another. Build with {@link #builder()}; start once.
 * <p>
 * Slow, idle and surplus connections are closed under the {@link ConnectionLimits} ({@link Builder#limits}): headers
 * must arrive within 10 s, body pieces at most 10 s apart (else 408 and close), a kept-alive connection idle for
 * 90 s is closed, and beyond 10,000 connections (at most half of the process's open-file limit) each new connection
 * closes the longest-idle one, or is closed itself when none is idle. A connection whose request is being handled is
 * never closed by a limit. When accepting fails (out of file descriptors), the server logs it once, closes a few of
 * its longest-idle connections, pauses accepting for 100 ms at a time and keeps serving the connections it has; it
 * logs once more when accepting works again.
 * <p>
 * TLS ({@link Builder#tls(Supplier)}): every connection must start a TLS handshake with the certificate in force
 * when it was accepted; a client sending plaintext HTTP gets a 400 micro error ("client sent an HTTP request to a
 * TLS server") and the connection is closed; a failed handshake (a client certificate missing or not issued by a
 * trusted CA under {@link TlsOptions.ClientAuth#NEED}) closes that connection only. The node metadata then says
 * {@code secure=true}, which tells clients to dial it with TLS.
 * <p>
 * Threads: by default the server creates an accept thread and a group of I/O threads at start and ends them at stop.
 * Given a shared group ({@link Builder#eventLoopGroup(EventLoopGroup)}, such as a
 * {@link io.micro4j.runtime.MicroRuntime}'s), it accepts and serves on that group and leaves it running at stop.
 */
public final class HttpTransportServer implements TransportServer {

	/** Default request body limit: {@value} bytes (4 MiB). */
	public static final int DEFAULT_MAX_BODY_SIZE = 4 * 1024 * 1024;

	/** How long the I/O threads may take to end after the connections are closed. */
	private static final long SHUTDOWN_WAIT_MILLIS = 2000;

	private static final Logger logger = LoggerFactory.getLogger(HttpTransportServer.class);

	private enum Phase {

		NEW, STARTED, STOPPED

	}

	private final String address;

	private final HostPort hostPort;

	private final int maxBodySize;

	private final int ioThreads;

	private final ConnectionLimits limits;

	private final @Nullable EventLoopGroup sharedGroup;

	private final @Nullable Supplier<TlsOptions> tls;

	private Phase phase = Phase.NEW;

	private @Nullable EventLoopGroup acceptGroup;

	private @Nullable EventLoopGroup ioGroup;

	private @Nullable Channel listener;

	private @Nullable ServerContext context;

	private HttpTransportServer(Builder builder) {
		this.address = builder.address;
		this.hostPort = HostPort.parse(builder.address);
		this.maxBodySize = builder.maxBodySize;
		this.ioThreads = builder.ioThreads;
		this.limits = builder.limits;
		this.sharedGroup = builder.eventLoopGroup;
		this.tls = builder.tls;
	}

	/**
	 * A builder with the defaults: {@code :0}, a 4 MiB body limit, the default {@link ConnectionLimits}, Netty's
	 * default number of I/O threads.
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Binds the configured address and starts accepting connections whose requests go to {@code handler}.
	 * @return the bound address, with the real port when port 0 was asked for
	 * @throws IllegalStateException when the address cannot be bound (in use, not local, unresolvable; the cause
	 * says which), when the TLS options make no usable server context (no certificate, an unknown protocol), or
	 * when this server was started or stopped before
	 */
	@Override
	public synchronized InetSocketAddress start(TransportHandler handler) {
		Objects.requireNonNull(handler, "handler");
		if (this.phase != Phase.NEW) {
			throw new IllegalStateException("HttpTransportServer on " + this.address + " was already "
					+ ((this.phase == Phase.STARTED) ? "started" : "stopped") + " (expected: start once)");
		}
		this.phase = Phase.STARTED;
		InetSocketAddress bindAddress = this.hostPort.bindAddress();
		if (bindAddress.isUnresolved()) {
			this.phase = Phase.STOPPED;
			throw new IllegalStateException("cannot listen on " + this.address + ": unknown host "
					+ this.hostPort.host());
		}
		TlsContexts tlsContexts = null;
		if (this.tls != null) {
			tlsContexts = TlsContexts.forServer(this.tls);
			try {
				tlsContexts.current();
			}
			catch (RuntimeException ex) {
				this.phase = Phase.STOPPED;
				throw new IllegalStateException("cannot listen on " + this.address + " with TLS: " + ex.getMessage(),
						ex);
			}
		}
		EventLoopGroup shared = this.sharedGroup;
		EventLoopGroup accept = (shared != null) ? shared : EventLoops.create(1, "micro4j-http-server-accept", false);
		EventLoopGroup io = (shared != null) ? shared : EventLoops.create(this.ioThreads, "micro4j-http-server", false);
		ChannelGroup connections = new DefaultChannelGroup("micro4j-http-server", GlobalEventExecutor.INSTANCE);
		OptionalLong fileLimit = FileDescriptors.limit();
		int maxConnections = FileDescriptors.connectionLimit(this.limits.maxConnections(), fileLimit);
		ServerContext serverContext = new ServerContext(handler, this.maxBodySize, this.limits, maxConnections,
				connections, tlsContexts);
		ServerBootstrap bootstrap = new ServerBootstrap().group(accept, io)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, 1024)
			.option(ChannelOption.SO_REUSEADDR, true)
			.handler(serverContext.acceptGuard())
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(serverContext.initializer());
		ChannelFuture bound = bootstrap.bind(bindAddress).awaitUninterruptibly();
		if (!bound.isSuccess()) {
			this.phase = Phase.STOPPED;
			shutdownOwned(accept, io);
			Throwable cause = bound.cause();
			throw new IllegalStateException("cannot listen on " + this.address + ": " + cause.getMessage(), cause);
		}
		InetSocketAddress local = (InetSocketAddress) bound.channel().localAddress();
		String where = local.getAddress().getHostAddress() + ":" + local.getPort();
		serverContext.bound(((tlsContexts != null) ? "HTTP transport server (TLS) on " : "HTTP transport server on ")
				+ where);
		if (maxConnections < this.limits.maxConnections()) {
			logger.info("HTTP transport server on {} holds at most {} connections (maxConnections {} is more than "
					+ "half of the process's open-file limit {})", where, maxConnections,
					this.limits.maxConnections(), fileLimit.getAsLong());
		}
		this.acceptGroup = accept;
		this.ioGroup = io;
		this.listener = bound.channel();
		this.context = serverContext;
		return local;
	}

	/**
	 * Stops accepting, closes idle connections at once and the others after their pending response (which says
	 * {@code Connection: close}); connections still open after {@code gracePeriod} are closed, then the server's own
	 * I/O threads end (a shared group is left running). Returns when all that is done. Stopping again, or stopping a server never started, does nothing.
	 * @throws IllegalArgumentException when {@code gracePeriod} is negative
	 */
	@Override
	public void stop(Duration gracePeriod) {
		Arguments.nonNegative("gracePeriod", gracePeriod);
		EventLoopGroup accept;
		EventLoopGroup io;
		Channel listening;
		ServerContext serverContext;
		synchronized (this) {
			if (this.phase != Phase.STARTED) {
				this.phase = Phase.STOPPED;
				return;
			}
			this.phase = Phase.STOPPED;
			accept = Objects.requireNonNull(this.acceptGroup);
			io = Objects.requireNonNull(this.ioGroup);
			listening = Objects.requireNonNull(this.listener);
			serverContext = Objects.requireNonNull(this.context);
		}
		boolean mayBlock = !EventLoops.inGroup(accept) && !EventLoops.inGroup(io);
		ChannelFuture unbound = listening.close();
		if (mayBlock) {
			unbound.awaitUninterruptibly();
		}
		serverContext.startDraining();
		long deadline = System.nanoTime() + GoDuration.saturatedNanos(gracePeriod);
		if (mayBlock) {
			for (Channel channel : serverContext.connectionsSnapshot()) {
				long remainingMillis = (deadline - System.nanoTime()) / 1_000_000L;
				if (remainingMillis <= 0) {
					break;
				}
				channel.closeFuture().awaitUninterruptibly(remainingMillis);
			}
		}
		serverContext.closeAll(mayBlock);
		shutdownOwned(accept, io);
	}

	/** Ends the server's own event loop groups; a shared group is left running. */
	private void shutdownOwned(EventLoopGroup accept, EventLoopGroup io) {
		if (this.sharedGroup == null) {
			EventLoops.shutdown(accept, SHUTDOWN_WAIT_MILLIS);
			EventLoops.shutdown(io, SHUTDOWN_WAIT_MILLIS);
		}
	}

	/** mucp over HTTP; with TLS also {@code secure=true}, so that clients dial this node with TLS. */
	@Override
	public Map<String, String> nodeMetadata() {
		Map<String, String> metadata = new LinkedHashMap<>(TransportServer.super.nodeMetadata());
		if (isSecure()) {
			metadata.put("secure", "true");
		}
		return metadata;
	}

	/** Whether this server speaks TLS only. */
	public boolean isSecure() {
		return this.tls != null;
	}

	/** The limits this server applies to its connections. */
	public ConnectionLimits limits() {
		return this.limits;
	}

	/** How many connections are open now (0 when not started). */
	public int openConnections() {
		ServerContext serverContext = this.context;
		return (serverContext != null) ? serverContext.openConnections() : 0;
	}

	@Override
	public String toString() {
		Channel listening = this.listener;
		return "HttpTransportServer[" + ((listening != null) ? listening.localAddress() : this.address) + "]";
	}

	/** Builds an {@link HttpTransportServer}; each option is checked when set. */
	public static final class Builder {

		private String address = ":0";

		private int maxBodySize = DEFAULT_MAX_BODY_SIZE;

		private int ioThreads = 0;

		private ConnectionLimits limits = ConnectionLimits.defaults();

		private @Nullable EventLoopGroup eventLoopGroup;

		private @Nullable Supplier<TlsOptions> tls;

		private Builder() {
		}

		/** TLS with fixed certificates; see {@link #tls(Supplier)}. */
		public Builder tls(@Nullable TlsOptions tls) {
			return tls((tls != null) ? () -> tls : null);
		}

		/**
		 * Speak TLS only, with the options {@code tls} gives when each connection is accepted (a supplier that
		 * returns new options after certificate files changed puts them into effect for new connections); the
		 * options need a certificate and may ask clients for theirs ({@link TlsOptions#clientAuth()}).
		 * {@code null} (default): plaintext.
		 */
		public Builder tls(@Nullable Supplier<TlsOptions> tls) {
			this.tls = tls;
			return this;
		}

		/**
		 * The timeouts and the connection limit that protect the server from slow, idle and surplus connections;
		 * {@link ConnectionLimits#defaults()} by default.
		 */
		public Builder limits(ConnectionLimits limits) {
			this.limits = Objects.requireNonNull(limits, "limits");
			return this;
		}

		/**
		 * The listen address {@code host:port}; {@code :0} (default) is all interfaces, random port. Hosts may be IP
		 * literals ({@code [::1]:0} for IPv6) or names, resolved at start.
		 * @throws IllegalArgumentException when it is not {@code host:port}
		 */
		public Builder address(String address) {
			HostPort.parse(Objects.requireNonNull(address, "address"));
			this.address = address;
			return this;
		}

		/**
		 * The request body limit in bytes; a larger body gets a 413 micro error. Default
		 * {@value HttpTransportServer#DEFAULT_MAX_BODY_SIZE}.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder maxBodySize(int maxBodySize) {
			this.maxBodySize = Arguments.positive("maxBodySize", maxBodySize);
			return this;
		}

		/**
		 * Event-loop threads; 0 (default) picks Netty's default for the machine (twice the processors). Ignored when
		 * an {@link #eventLoopGroup(EventLoopGroup)} is given.
		 * @throws IllegalArgumentException when negative
		 */
		public Builder ioThreads(int ioThreads) {
			this.ioThreads = Arguments.nonNegative("ioThreads", ioThreads);
			return this;
		}

		/**
		 * A shared event loop group to accept and serve connections on, instead of the server's own threads; the
		 * server never shuts it down. {@code null} (default): the server creates its own groups at start (see
		 * {@link #ioThreads(int)}) and ends them at stop.
		 */
		public Builder eventLoopGroup(@Nullable EventLoopGroup eventLoopGroup) {
			this.eventLoopGroup = eventLoopGroup;
			return this;
		}

		/** A new server, not yet started. */
		public HttpTransportServer build() {
			return new HttpTransportServer(this);
		}

	}

}
