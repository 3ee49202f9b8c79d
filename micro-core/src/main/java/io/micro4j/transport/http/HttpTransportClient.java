package io.micro4j.transport.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.micro4j.errors.MicroException;
import io.micro4j.internal.Arguments;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Node;
import io.micro4j.transport.ConnectFailedException;
import io.micro4j.transport.TlsHandshakeException;
import io.micro4j.transport.TlsOptions;
import io.micro4j.transport.TransportClient;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import io.micro4j.transport.http.internal.ClientConnection;
import io.micro4j.transport.http.internal.ConnectionPool;
import io.micro4j.transport.http.internal.EventLoops;
import io.micro4j.transport.http.internal.Exchange;
import io.micro4j.transport.http.internal.GoDuration;
import io.micro4j.transport.http.internal.HostPort;
import io.micro4j.transport.http.internal.TlsContexts;
import io.micro4j.transport.http.internal.WireHeaders;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * mucp over HTTP/1.1 on Netty: the client side of go-micro's {@code http} transport, with pooled keep-alive
 * connections.
 * <p>
 * {@link #send} writes {@code POST} to the request's target ({@code /} for mucp) with exactly the headers go-micro's
 * client writes: {@code Host} (the address),
 * {@code User-Agent} ({@value #USER_AGENT} unless the request carries one), {@code Content-Length} and every header
 * of the request; nothing else (no {@code Connection}, no {@code Accept-Encoding}). A request header named
 * {@code Host}, {@code Content-Length}, {@code Transfer-Encoding} or {@code Trailer} is not copied, as in Go.
 * <p>
 * Connections are kept per address: one request at a time each (no pipelining), back to the pool after a complete
 * response unless the server said {@code Connection: close}, at most {@link Builder#poolSize(int)} idle per address,
 * closed once idle for longer than {@link Builder#poolTtl(Duration)} (checked when borrowing and by a periodic
 * sweep). Unlike go-micro, whose pool TTL counts from when a connection was made, the TTL counts idle time. Requests
 * to one address that overlap use separate connections; their number is not capped.
 * <p>
 * TLS: {@link #send(Node, TransportRequest, Duration)} dials a node whose metadata says {@code secure=true} with TLS
 * and any other node in plaintext, so one client calls a fleet that moves to TLS node by node; connections of the
 * two kinds are pooled apart. The TLS options ({@link Builder#tls(Supplier)}; by default the JDK's CAs, no client
 * certificate, hostname verification on) are read for each new connection. A failed handshake fails the send with a
 * {@link TlsHandshakeException} that says what was wrong (expired certificate, a certificate that does not name the
 * dialled address, an unknown CA, a client certificate the server wants or refused).
 * <p>
 * Thread-safe. Close it to release its connections and I/O threads. Given a shared event loop group
 * ({@link Builder#eventLoopGroup(EventLoopGroup)}, such as a {@link io.micro4j.runtime.MicroRuntime}'s) and
 * optionally a shared executor for name resolution ({@link Builder#resolverExecutor(Executor)}), it creates no
 * thread of its own and closing it closes only its connections.
 */
public final class HttpTransportClient implements TransportClient {

	/** go-micro's pool size: {@value} idle connections per address. */
	public static final int DEFAULT_POOL_SIZE = 100;

	/** go-micro's pool TTL: 1 minute. */
	public static final Duration DEFAULT_POOL_TTL = Duration.ofMinutes(1);

	/** go-micro's dial timeout: 5 seconds. */
	public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(5);

	/** Default response body limit: {@value} bytes (64 MiB). */
	public static final int DEFAULT_MAX_RESPONSE_SIZE = 64 * 1024 * 1024;

	/** The {@code User-Agent} this client sends: {@value}. */
	public static final String USER_AGENT = "micro4j/1.0";

	/** Request headers that Go's {@code Request.Write} does not copy from the header map. */
	private static final Set<String> NOT_COPIED_TO_REQUEST = Set.of("Host", "User-Agent", "Content-Length",
			"Transfer-Encoding", "Trailer");

	private static final long SHUTDOWN_WAIT_MILLIS = 2000;

	private final EventLoopGroup group;

	private final boolean ownsGroup;

	private final Bootstrap bootstrap;

	private final ConnectionPool pool;

	private final Executor resolver;

	private final @Nullable ThreadPoolExecutor ownedResolver;

	private final ScheduledFuture<?> sweeper;

	private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();

	private final TlsContexts tls;

	private final AtomicBoolean closed = new AtomicBoolean();

	private HttpTransportClient(Builder builder) {
		this.pool = new ConnectionPool(builder.poolSize, GoDuration.saturatedNanos(builder.poolTtl));
		this.tls = TlsContexts.forClient(builder.tls);
		this.ownsGroup = builder.eventLoopGroup == null;
		this.group = (builder.eventLoopGroup != null) ? builder.eventLoopGroup
				: EventLoops.create(builder.ioThreads, "micro4j-http-client", true);
		int connectMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, builder.dialTimeout.toMillis()));
		this.bootstrap = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
			.option(ChannelOption.TCP_NODELAY, true)
			.handler(ClientConnection.initializer(this.pool, builder.maxResponseSize));
		if (builder.resolverExecutor != null) {
			this.resolver = builder.resolverExecutor;
			this.ownedResolver = null;
		}
		else {
			ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
					new DefaultThreadFactory("micro4j-http-client-dns", true));
			pool.allowCoreThreadTimeOut(true);
			this.resolver = pool;
			this.ownedResolver = pool;
		}
		long sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
				Math.min(TimeUnit.SECONDS.toNanos(30), GoDuration.saturatedNanos(builder.poolTtl) / 2));
		this.sweeper = this.group.next()
			.scheduleWithFixedDelay(this.pool::sweep, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * A builder with go-micro's defaults: 100 idle connections per address, 1 minute TTL, 5 seconds dial timeout;
	 * and a 64 MiB response limit and Netty's default number of I/O threads.
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Sends {@code request} to {@code address} ({@code host:port}, as in a registry node) and reads the response.
	 * <p>
	 * The future completes, possibly on an I/O thread (do not block in its callbacks), with the response of any
	 * HTTP status, or exceptionally with:
	 * <ul>
	 * <li>{@link ConnectFailedException} when no connection could be made: refused, unreachable, no answer within the
	 * dial timeout, unknown host, or an address that is not {@code host:port}; the request never left;</li>
	 * <li>{@link MicroException} 408 (id {@code go.micro.client}) when {@code timeout} passed first, including time
	 * spent connecting; the connection is then closed, never reused;</li>
	 * <li>{@link MicroException} 500 (id {@code go.micro.client.transport}) when the connection failed or was closed
	 * after the request was (partly) written, the response was malformed or over the response limit, a request
	 * header was not valid in HTTP, or the client was closed meanwhile; the server may have seen the request;</li>
	 * <li>{@link IllegalStateException} when this client is closed.</li>
	 * </ul>
	 * Cancelling the future closes the connection in use.
	 */
	@Override
	public CompletableFuture<TransportResponse> send(String address, TransportRequest request, Duration timeout) {
		return send(address, false, request, timeout);
	}

	/**
	 * Sends {@code request} to {@code node}'s address as {@link #send(String, TransportRequest, Duration)} does, over
	 * TLS when the node's metadata says {@code secure=true}. Besides the failures listed there, the future completes
	 * exceptionally with a {@link TlsHandshakeException} (a {@link ConnectFailedException}) when the TLS handshake
	 * failed, and with an {@link IllegalStateException} when the TLS options make no usable context.
	 */
	@Override
	public CompletableFuture<TransportResponse> send(Node node, TransportRequest request, Duration timeout) {
		return send(node.address(), isSecure(node), request, timeout);
	}

	/** Whether {@code node} is dialled with TLS: its metadata says {@code secure=true}. */
	public static boolean isSecure(Node node) {
		return "true".equalsIgnoreCase(node.metadata().get("secure"));
	}

	private CompletableFuture<TransportResponse> send(String address, boolean secure, TransportRequest request,
			Duration timeout) {
		Objects.requireNonNull(address, "address");
		Objects.requireNonNull(request, "request");
		Objects.requireNonNull(timeout, "timeout");
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(new IllegalStateException("HttpTransportClient is closed"));
		}
		HostPort hostPort;
		try {
			hostPort = HostPort.parse(address);
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(new ConnectFailedException(address, ex));
		}
		HttpHeaders headers;
		try {
			headers = requestHeaders(address, request);
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(new MicroException(Exchange.TRANSPORT_ERROR_ID, 500,
					"invalid request header: " + ex.getMessage(), MicroException.statusText(500), ex));
		}
		SslContext sslContext = null;
		if (secure) {
			try {
				sslContext = this.tls.current();
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}
		Exchange exchange = new Exchange(address, secure, request.target(), headers, request.body(), timeout);
		if (timeout.isZero() || timeout.isNegative()) {
			exchange.timedOut();
			return exchange.future();
		}
		this.inFlight.add(exchange);
		exchange.future().whenComplete((response, failure) -> this.inFlight.remove(exchange));
		try {
			exchange.timer(this.group.next()
				.schedule(exchange::timedOut, GoDuration.saturatedNanos(timeout), TimeUnit.NANOSECONDS));
		}
		catch (RejectedExecutionException ex) {
			exchange.fail(new IllegalStateException("HttpTransportClient is closed"));
			return exchange.future();
		}
		if (this.closed.get()) {
			exchange.fail(new IllegalStateException("HttpTransportClient is closed"));
			return exchange.future();
		}
		acquire(exchange, hostPort, sslContext);
		return exchange.future();
	}

	private static HttpHeaders requestHeaders(String address, TransportRequest request) {
		Metadata metadata = request.headers();
		HttpHeaders headers = new DefaultHttpHeaders();
		// Names as Go writes them; Netty's constants are lower case.
		headers.set("Host", address);
		String userAgent = metadata.getOrNull("User-Agent");
		headers.set("User-Agent", (userAgent != null) ? WireHeaders.toWire(userAgent) : USER_AGENT);
		headers.set("Content-Length", request.body().length);
		WireHeaders.addAll(metadata, headers, NOT_COPIED_TO_REQUEST);
		return headers;
	}

	/** Uses an idle pooled connection to the address, or connects a new one. */
	private void acquire(Exchange exchange, HostPort hostPort, @Nullable SslContext sslContext) {
		if (exchange.isDone()) {
			return;
		}
		Channel pooled = this.pool.borrow(exchange.poolKey());
		if (pooled != null) {
			boolean queued = EventLoops.run(pooled.eventLoop(), () -> {
				if (pooled.isActive()) {
					ClientConnection.start(pooled, exchange);
				}
				else {
					acquire(exchange, hostPort, sslContext);
				}
			});
			if (!queued) {
				exchange.fail(closedFailure(exchange));
			}
			return;
		}
		InetAddress literal = hostPort.ipLiteral();
		if (literal != null) {
			connect(exchange, new InetSocketAddress(literal, hostPort.port()), hostPort, sslContext);
			return;
		}
		try {
			FutureTask<Void> resolving = new FutureTask<>(() -> resolveAndConnect(exchange, hostPort, sslContext),
					null);
			exchange.pending(resolving);
			this.resolver.execute(resolving);
		}
		catch (RejectedExecutionException ex) {
			exchange.fail(this.closed.get() ? closedFailure(exchange) : new ConnectFailedException(exchange.address(), ex));
		}
	}

	private void resolveAndConnect(Exchange exchange, HostPort hostPort, @Nullable SslContext sslContext) {
		if (exchange.isDone()) {
			return;
		}
		InetSocketAddress resolved;
		try {
			String host = hostPort.host().isEmpty() ? "localhost" : hostPort.host();
			resolved = new InetSocketAddress(InetAddress.getByName(host), hostPort.port());
		}
		catch (UnknownHostException | SecurityException ex) {
			exchange.fail(new ConnectFailedException(exchange.address(), ex));
			return;
		}
		connect(exchange, resolved, hostPort, sslContext);
	}

	/**
	 * Checks whether {@code address} accepts a TCP connection within {@code timeout}, off the call path: the
	 * connection is closed at once, nothing is sent. A {@link io.micro4j.selector.NodeProber} for the selector's
	 * active health check.
	 * @return {@code true} when the connection was made; {@code false} when refused, unreachable, timed out, the
	 * address is not {@code host:port}, or this client is closed. Never completes exceptionally.
	 */
	public CompletableFuture<Boolean> probe(String address, Duration timeout) {
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		if (this.closed.get()) {
			result.complete(false);
			return result;
		}
		HostPort hostPort;
		try {
			hostPort = HostPort.parse(address);
		}
		catch (IllegalArgumentException ex) {
			result.complete(false);
			return result;
		}
		Runnable connect = () -> {
			try {
				InetAddress literal = hostPort.ipLiteral();
				InetAddress host = (literal != null) ? literal
						: InetAddress.getByName(hostPort.host().isEmpty() ? "localhost" : hostPort.host());
				int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
				this.bootstrap.clone()
					.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis)
					.handler(new io.netty.channel.ChannelInboundHandlerAdapter())
					.connect(new InetSocketAddress(host, hostPort.port()))
					.addListener((ChannelFuture f) -> {
						if (f.isSuccess()) {
							f.channel().close();
						}
						result.complete(f.isSuccess());
					});
			}
			catch (UnknownHostException | RuntimeException ex) {
				result.complete(false);
			}
		};
		if (hostPort.ipLiteral() != null) {
			connect.run();
		}
		else {
			try {
				this.resolver.execute(connect);
			}
			catch (RejectedExecutionException ex) {
				result.complete(false);
			}
		}
		return result;
	}

	private void connect(Exchange exchange, InetSocketAddress target, HostPort hostPort,
			@Nullable SslContext sslContext) {
		if (exchange.isDone()) {
			return;
		}
		ChannelFuture connecting;
		try {
			connecting = this.bootstrap.connect(target);
		}
		catch (RuntimeException ex) {
			exchange.fail(this.closed.get() ? closedFailure(exchange) : new ConnectFailedException(exchange.address(), ex));
			return;
		}
		exchange.pending(connecting);
		connecting.addListener((ChannelFuture f) -> {
			if (f.isSuccess() && sslContext != null) {
				String host = hostPort.host().isEmpty() ? "localhost" : hostPort.host();
				ClientConnection.startTls(f.channel(), exchange, sslContext, this.tls.hasCertificate(), host,
						hostPort.port());
			}
			else if (f.isSuccess()) {
				ClientConnection.start(f.channel(), exchange);
			}
			else if (!f.isCancelled()) {
				exchange.fail(this.closed.get() ? closedFailure(exchange)
						: new ConnectFailedException(exchange.address(), f.cause()));
			}
		});
	}

	private static MicroException closedFailure(Exchange exchange) {
		return MicroException.internalServerError(Exchange.TRANSPORT_ERROR_ID,
				"transport client closed while sending to %s", exchange.address());
	}

	/** How many idle connections to {@code address} the pool holds now (for tests and diagnostics). */
	int idleConnections(String address) {
		return this.pool.idleCount(address);
	}

	/** How many idle TLS connections to {@code address} the pool holds now (for tests and diagnostics). */
	int idleTlsConnections(String address) {
		return this.pool.idleCount(Exchange.poolKey(address, true));
	}

	/**
	 * Closes every connection and ends the client's own I/O threads (a shared group and resolver executor are left
	 * running); requests in flight fail with a 500. Waits up to a few seconds for its own threads unless called from
	 * one of them. Closing again does nothing.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.sweeper.cancel(false);
		this.pool.closeAll();
		for (Exchange exchange : this.inFlight) {
			exchange.fail(closedFailure(exchange));
		}
		if (this.ownedResolver != null) {
			this.ownedResolver.shutdownNow();
		}
		if (this.ownsGroup) {
			EventLoops.shutdown(this.group, SHUTDOWN_WAIT_MILLIS);
		}
	}

	@Override
	public String toString() {
		return "HttpTransportClient[" + (this.closed.get() ? "closed" : "open") + "]";
	}

	/** Builds an {@link HttpTransportClient}; each option is checked when set. */
	public static final class Builder {

		private int poolSize = DEFAULT_POOL_SIZE;

		private Duration poolTtl = DEFAULT_POOL_TTL;

		private Duration dialTimeout = DEFAULT_DIAL_TIMEOUT;

		private int maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE;

		private int ioThreads = 0;

		private @Nullable EventLoopGroup eventLoopGroup;

		private @Nullable Executor resolverExecutor;

		private Supplier<TlsOptions> tls = TlsOptions::defaults;

		private Builder() {
		}

		/** TLS with fixed settings; see {@link #tls(Supplier)}. */
		public Builder tls(TlsOptions tls) {
			Objects.requireNonNull(tls, "tls");
			return tls(() -> tls);
		}

		/**
		 * The TLS settings for nodes that say {@code secure=true}, read for each new connection (a supplier that
		 * returns new options after certificate files changed puts them into effect for new connections): the CAs
		 * to trust, a client certificate for servers that ask for one (mTLS), hostname verification.
		 * {@link TlsOptions#defaults()} by default: the JDK's CAs, no certificate, hostname verification on.
		 */
		public Builder tls(Supplier<TlsOptions> tls) {
			this.tls = Objects.requireNonNull(tls, "tls");
			return this;
		}

		/**
		 * Idle connections kept per address, {@value HttpTransportClient#DEFAULT_POOL_SIZE} by default; 0 closes each
		 * connection after its response.
		 * @throws IllegalArgumentException when negative
		 */
		public Builder poolSize(int poolSize) {
			this.poolSize = Arguments.nonNegative("poolSize", poolSize);
			return this;
		}

		/**
		 * How long an idle connection is kept, 1 minute by default. Keep it shorter than the servers' idle timeout
		 * ({@link ConnectionLimits#DEFAULT_IDLE_TIMEOUT 90 s} by default), so that the client, not the server, closes
		 * idle connections: a request sent just as the server closes one fails after it was written.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder poolTtl(Duration poolTtl) {
			this.poolTtl = Arguments.positive("poolTtl", poolTtl);
			return this;
		}

		/**
		 * How long connecting may take, 5 seconds by default; the overall timeout of a send also bounds it.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder dialTimeout(Duration dialTimeout) {
			this.dialTimeout = Arguments.positive("dialTimeout", dialTimeout);
			return this;
		}

		/**
		 * Response body limit in bytes, {@value HttpTransportClient#DEFAULT_MAX_RESPONSE_SIZE} by default; a larger
		 * response fails the send with a 500 and closes its connection.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder maxResponseSize(int maxResponseSize) {
			this.maxResponseSize = Arguments.positive("maxResponseSize", maxResponseSize);
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
		 * A shared event loop group for the client's connections and timers; the client never shuts it down.
		 * {@code null} (default): the client creates its own group ({@link #ioThreads(int)}) and ends it on close.
		 */
		public Builder eventLoopGroup(@Nullable EventLoopGroup eventLoopGroup) {
			this.eventLoopGroup = eventLoopGroup;
			return this;
		}

		/**
		 * Where host names are resolved (a blocking lookup, never on an event loop); the client never shuts it down.
		 * {@code null} (default): a pool of up to 4 threads owned by the client. IP literals need no resolution.
		 */
		public Builder resolverExecutor(@Nullable Executor resolverExecutor) {
			this.resolverExecutor = resolverExecutor;
			return this;
		}

		/** A new client (with its own I/O threads unless given a group); close it when done. */
		public HttpTransportClient build() {
			return new HttpTransportClient(this);
		}

	}

}
