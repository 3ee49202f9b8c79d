package io.micro4j.grpc;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.micro4j.errors.MicroException;
import io.micro4j.errors.UnprocessedRequestException;
import io.micro4j.internal.Arguments;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Node;
import io.micro4j.transport.ConnectFailedException;
import io.micro4j.transport.ConnectionBrokenException;
import io.micro4j.transport.TlsHandshakeException;
import io.micro4j.transport.TlsOptions;
import io.micro4j.transport.TransportClient;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import io.micro4j.transport.TransportStream;
import io.micro4j.metadata.Deadline;
import io.micro4j.transport.http.internal.EventLoops;
import io.micro4j.transport.http.internal.HostPort;
import io.micro4j.transport.http.internal.TlsContexts;
import io.micro4j.transport.http.internal.TlsFailures;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * The gRPC transport of the micro client: mucp requests sent to gRPC nodes as go-micro's gRPC client sends them.
 * Endpoint {@code Greeter.Hello} of service {@code greeter} goes to {@code /greeter.Greeter/Hello} (an endpoint
 * starting with {@code /} is used as it is); JSON as {@code application/grpc+json}, protobuf as
 * {@code application/grpc+proto}, with {@code x-content-type}, go-micro's {@code timeout} (ns) and
 * {@code grpc-timeout}, and the call metadata as lower-case headers. The answer's status, go-micro error JSON or
 * {@code errors.Error} detail become the micro error a mucp node would have sent.
 * <p>
 * HTTP/2 without TLS (prior knowledge) on Netty, one multiplexed connection per node; a failed connect is
 * {@link ConnectFailedException} and a stream the server refused before handling it is an
 * {@link UnprocessedRequestException} (both safe to retry elsewhere), a connection lost mid-call a
 * {@link ConnectionBrokenException}. Written here rather than on grpc-java's client, because grpc-java always sends
 * {@code content-type: application/grpc} and go-micro's JSON handlers need {@code application/grpc+json}.
 * <p>
 * TLS: {@link #send(Node, TransportRequest, Duration)} and {@link #openStream(Node, TransportRequest, Duration,
 * Deadline)} dial a node whose metadata says {@code secure=true} with HTTP/2 over TLS (ALPN {@code h2}), every other
 * node in plaintext; the two kinds of connection to one address are kept apart. The TLS options
 * ({@link Builder#tls(Supplier)}; by default the JDK's CAs, no client certificate, hostname verification on) are read
 * for each new connection. A TLS connection is used once the server's HTTP/2 settings arrived, so a server that
 * refuses the client's certificate after the handshake (TLS 1.3) fails the call as a failed handshake: a
 * {@link TlsHandshakeException} that says what was wrong (expired certificate, a certificate that does not name the
 * address, an unknown CA, a missing or refused client certificate, a node that does not speak TLS).
 */
public final class GrpcTransportClient implements TransportClient {

	/** The largest answer message read by default: 4 MiB. */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

	private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

	/** How long a connection without calls stays open by default: 60 s, below the servers' 90 s. */
	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

	private final EventLoopGroup group;

	private final boolean ownsGroup;

	private final Duration connectTimeout;

	private final int maxMessageSize;

	private final Duration idleTimeout;

	private final TlsContexts tls;

	private final Map<String, CompletableFuture<Channel>> connections = new ConcurrentHashMap<>();

	private volatile boolean closed;

	private GrpcTransportClient(Builder builder) {
		this.ownsGroup = builder.group == null;
		this.group = (builder.group != null) ? builder.group : EventLoops.create(1, "micro-grpc-client", true);
		this.connectTimeout = builder.connectTimeout;
		this.maxMessageSize = builder.maxMessageSize;
		this.idleTimeout = builder.idleTimeout;
		this.tls = TlsContexts.forClient(builder.tls, GrpcTls::client);
	}

	public static Builder builder() {
		return new Builder();
	}

	/** The gRPC path of {@code endpoint} of {@code service}, as go-micro's gRPC client builds it. */
	static String path(String service, String endpoint) {
		if (endpoint.startsWith("/")) {
			return endpoint;
		}
		int dot = endpoint.lastIndexOf('.');
		if (dot <= 0 || dot == endpoint.length() - 1) {
			return "/" + service + "/" + endpoint;
		}
		return "/" + service + "." + endpoint.substring(0, dot) + "/" + endpoint.substring(dot + 1);
	}

	/** The gRPC content type of a micro one. */
	static String grpcContentType(@Nullable String contentType) {
		if (contentType == null) {
			return "application/grpc+proto";
		}
		String type = contentType.toLowerCase(Locale.ROOT);
		if (type.contains("json")) {
			return "application/grpc+json";
		}
		if (type.contains("protobuf")) {
			return "application/grpc+proto";
		}
		if (type.equals("application/octet-stream")) {
			return "application/grpc+bytes";
		}
		return type.startsWith("application/") ? "application/grpc+" + type.substring("application/".length())
				: "application/grpc+proto";
	}

	/** Sends {@code request} to {@code address} in plaintext. */
	@Override
	public CompletableFuture<TransportResponse> send(String address, TransportRequest request, Duration timeout) {
		return send(address, false, request, timeout);
	}

	/**
	 * Sends {@code request} to {@code node}'s address, over TLS when its metadata says {@code secure=true}. Besides
	 * the failures of a plaintext call, the future completes exceptionally with a {@link TlsHandshakeException} (a
	 * {@link ConnectFailedException}: not processed) when the TLS handshake failed, and with an
	 * {@link IllegalStateException} when the TLS options make no usable context.
	 */
	@Override
	public CompletableFuture<TransportResponse> send(Node node, TransportRequest request, Duration timeout) {
		return send(node.address(), GrpcTls.isSecure(node), request, timeout);
	}

	private CompletableFuture<TransportResponse> send(String address, boolean secure, TransportRequest request,
			Duration timeout) {
		Objects.requireNonNull(address, "address");
		Objects.requireNonNull(request, "request");
		if (this.closed) {
			return CompletableFuture.failedFuture(new UnprocessedRequestException("gRPC client transport closed", null));
		}
		SslContext sslContext;
		try {
			sslContext = secure ? this.tls.current() : null;
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		String contentType = request.headers().getOrNull("Content-Type");
		long timeoutNanos = Math.max(1, timeout.toNanos());
		Http2Headers h2 = h2Headers(address, secure, request.headers(), timeoutNanos);
		byte[] body = request.body();
		ByteBuf frame = Unpooled.buffer(5 + body.length).writeByte(0).writeInt(body.length).writeBytes(body);
		Call call = new Call(address, contentType, this.maxMessageSize);
		connection(address, sslContext).whenComplete((channel, failure) -> {
			if (failure != null) {
				frame.release();
				call.fail(connectFailure(address, failure));
				return;
			}
			new Http2StreamChannelBootstrap(channel).handler(call).open().addListener((opened) -> {
				if (!opened.isSuccess()) {
					frame.release();
					call.fail(new UnprocessedRequestException("cannot open a stream to " + address + ": "
							+ opened.cause().getMessage(), opened.cause()));
					return;
				}
				Http2StreamChannel stream = (Http2StreamChannel) opened.getNow();
				call.stream = stream;
				stream.write(new DefaultHttp2HeadersFrame(h2));
				stream.writeAndFlush(new DefaultHttp2DataFrame(frame, true));
			});
		});
		CompletableFuture<TransportResponse> result = call.result;
		io.netty.util.concurrent.ScheduledFuture<?> timer = this.group.schedule(() -> call.timeOut(timeout),
				timeoutNanos, TimeUnit.NANOSECONDS);
		result.whenComplete((response, error) -> timer.cancel(false));
		return result;
	}

	/** The HTTP/2 headers of a call or stream: go-micro's path, content types, deadline and metadata. */
	private static Http2Headers h2Headers(String address, boolean secure, Metadata headers, long timeoutNanos) {
		String service = Objects.requireNonNullElse(headers.getOrNull("Micro-Service"), "");
		String endpoint = Objects.requireNonNullElse(headers.getOrNull("Micro-Endpoint"), "");
		String contentType = headers.getOrNull("Content-Type");
		Http2Headers h2 = new DefaultHttp2Headers().method("POST")
			.scheme(secure ? "https" : "http")
			.path(path(service, endpoint))
			.authority(address);
		h2.add("content-type", grpcContentType(contentType));
		h2.add("user-agent", "micro4j-grpc");
		h2.add("te", "trailers");
		if (timeoutNanos > 0) {
			h2.add("grpc-timeout", grpcTimeout(timeoutNanos));
			h2.add("timeout", Long.toString(timeoutNanos));
		}
		if (contentType != null) {
			h2.add("x-content-type", contentType);
		}
		headers.forEach((key, value) -> {
			String name = key.toLowerCase(Locale.ROOT);
			if (!isMucpHeader(name) && !value.isEmpty()) {
				h2.add(name, value);
			}
		});
		return h2;
	}

	@Override
	public boolean supportsStreams() {
		return true;
	}

	/** Opens a stream to {@code address} in plaintext. */
	@Override
	public CompletableFuture<TransportStream> openStream(String address, TransportRequest head, Duration openTimeout,
			@Nullable Deadline deadline) {
		return openStream(address, false, head, openTimeout, deadline);
	}

	/**
	 * Opens a stream to {@code node}'s address, over TLS when its metadata says {@code secure=true}; fails as
	 * {@link #send(Node, TransportRequest, Duration)} does when the handshake fails.
	 */
	@Override
	public CompletableFuture<TransportStream> openStream(Node node, TransportRequest head, Duration openTimeout,
			@Nullable Deadline deadline) {
		return openStream(node.address(), GrpcTls.isSecure(node), head, openTimeout, deadline);
	}

	private CompletableFuture<TransportStream> openStream(String address, boolean secure, TransportRequest head,
			Duration openTimeout, @Nullable Deadline deadline) {
		Objects.requireNonNull(address, "address");
		Objects.requireNonNull(head, "head");
		if (this.closed) {
			return CompletableFuture.failedFuture(new UnprocessedRequestException("gRPC client transport closed", null));
		}
		SslContext sslContext;
		try {
			sslContext = secure ? this.tls.current() : null;
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		Http2Headers h2 = h2Headers(address, secure, head.headers(),
				(deadline != null) ? Math.max(1, deadline.remainingNanos()) : 0);
		StreamCall stream = new StreamCall(address, this.maxMessageSize);
		CompletableFuture<TransportStream> opened = new CompletableFuture<>();
		connection(address, sslContext).whenComplete((channel, failure) -> {
			if (failure != null) {
				opened.completeExceptionally(connectFailure(address, failure));
				return;
			}
			new Http2StreamChannelBootstrap(channel).option(ChannelOption.AUTO_READ, false)
				.handler(stream)
				.open()
				.addListener((done) -> {
					if (!done.isSuccess()) {
						opened.completeExceptionally(new UnprocessedRequestException(
								"cannot open a stream to " + address + ": " + done.cause().getMessage(), done.cause()));
						return;
					}
					Http2StreamChannel child = (Http2StreamChannel) done.getNow();
					stream.channel = child;
					child.writeAndFlush(new DefaultHttp2HeadersFrame(h2)).addListener((written) -> {
						if (written.isSuccess()) {
							opened.complete(stream);
						}
						else {
							stream.state.end(written.cause());
							opened.completeExceptionally(new UnprocessedRequestException(
									"cannot open a stream to " + address + ": " + written.cause().getMessage(),
									written.cause()));
						}
					});
				});
		});
		io.netty.util.concurrent.ScheduledFuture<?> timer = this.group.schedule(
				() -> opened.completeExceptionally(MicroException.timeout("go.micro.client",
						"opening a stream to %s timed out after %s", address, openTimeout)),
				Math.max(1, openTimeout.toNanos()), TimeUnit.NANOSECONDS);
		opened.whenComplete((ok, error) -> {
			timer.cancel(false);
			if (error != null) {
				stream.cancel();
			}
		});
		if (deadline != null) {
			io.netty.util.concurrent.ScheduledFuture<?> life = this.group.schedule(
					() -> stream.expire(deadline), Math.max(1, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
			stream.state.onEnd((end) -> life.cancel(false));
		}
		return opened;
	}

	/**
	 * The connection to {@code address}: the open one, or a new one; with {@code sslContext} a TLS connection (pooled
	 * apart from plaintext ones), ready once the handshake succeeded and the server's HTTP/2 settings arrived.
	 */
	private CompletableFuture<Channel> connection(String address, @Nullable SslContext sslContext) {
		String key = (sslContext != null) ? "tls " + address : address;
		CompletableFuture<Channel> existing = this.connections.get(key);
		if (existing != null && !(existing.isDone() && (existing.isCompletedExceptionally()
				|| !existing.join().isActive()))) {
			return existing;
		}
		CompletableFuture<Channel> created = new CompletableFuture<>();
		CompletableFuture<Channel> raced = (existing == null) ? this.connections.putIfAbsent(key, created)
				: (this.connections.replace(key, existing, created) ? null : this.connections.get(key));
		if (raced != null) {
			return raced;
		}
		HostPort hostPort;
		try {
			hostPort = HostPort.parse(address);
		}
		catch (RuntimeException ex) {
			this.connections.remove(key, created);
			created.completeExceptionally(ex);
			return created;
		}
		String host = hostPort.host().isEmpty() ? "localhost" : hostPort.host();
		ChannelFuture connect = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, this.connectTimeout.toMillis()))
			.option(ChannelOption.TCP_NODELAY, true)
			.handler(new ChannelInitializer<Channel>() {

				@Override
				protected void initChannel(Channel ch) {
					if (sslContext != null) {
						ch.pipeline().addLast(sslContext.newHandler(ch.alloc(), host, hostPort.port()));
					}
					Http2FrameCodec codec = Http2FrameCodecBuilder.forClient().build();
					if (!GrpcTransportClient.this.idleTimeout.isZero()) {
						ch.pipeline().addLast(new IdleStateHandler(0, 0,
								GrpcTransportClient.this.idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
					}
					ch.pipeline()
						.addLast(codec, new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
								new GoAwayHandler(codec));
				}

			})
			.connect(new InetSocketAddress(hostPort.host(), hostPort.port()));
		connect.addListener((done) -> {
			if (!done.isSuccess()) {
				this.connections.remove(key, created);
				created.completeExceptionally(done.cause());
				return;
			}
			Channel channel = connect.channel();
			channel.closeFuture().addListener((c) -> this.connections.remove(key, created));
			if (sslContext == null) {
				created.complete(channel);
				return;
			}
			secured(channel, address, host).whenComplete((ok, failure) -> {
				if (failure == null) {
					created.complete(channel);
				}
				else {
					this.connections.remove(key, created);
					channel.close();
					created.completeExceptionally(failure);
				}
			});
		});
		return created;
	}

	/**
	 * Completes when the TLS connection {@code channel} may carry calls: the handshake succeeded and the server sent
	 * its HTTP/2 settings (under TLS 1.3 a server checks the client's certificate after the client's handshake ended,
	 * and sends its settings only if it accepted it). Fails with a {@link TlsHandshakeException} that says what went
	 * wrong, or a {@link ConnectFailedException} when the server said nothing within the connect timeout.
	 */
	private CompletableFuture<Void> secured(Channel channel, String address, String host) {
		CompletableFuture<Void> ready = channel.pipeline().get(GoAwayHandler.class).settings;
		SslHandler ssl = channel.pipeline().get(SslHandler.class);
		ssl.handshakeFuture().addListener((handshake) -> {
			if (!handshake.isSuccess()) {
				ready.completeExceptionally(handshake.cause());
			}
		});
		io.netty.util.concurrent.ScheduledFuture<?> timer = channel.eventLoop()
			.schedule(() -> ready.completeExceptionally(new ConnectFailedException(address,
					new java.util.concurrent.TimeoutException("no TLS handshake and HTTP/2 settings within "
							+ this.connectTimeout))), this.connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
		return ready.handle((ok, failure) -> {
			timer.cancel(false);
			if (failure == null) {
				return null;
			}
			Throwable cause = unwrap(failure);
			if (cause instanceof ConnectFailedException) {
				throw new java.util.concurrent.CompletionException(cause);
			}
			Throwable tls = TlsFailures.tlsCause(cause);
			throw new java.util.concurrent.CompletionException((tls != null)
					? new TlsHandshakeException(address, TlsFailures.describe(tls, host, this.tls.hasCertificate()), tls)
					: new ConnectFailedException(address, cause));
		});
	}

	/** A failure to connect as the caller sees it: a {@link ConnectFailedException} (not processed). */
	private static Throwable connectFailure(String address, Throwable failure) {
		Throwable cause = unwrap(failure);
		return (cause instanceof ConnectFailedException) ? cause : new ConnectFailedException(address, cause);
	}

	/** Connections open now; for tests. */
	int openConnections() {
		return (int) this.connections.values()
			.stream()
			.filter((c) -> c.isDone() && !c.isCompletedExceptionally() && c.join().isActive())
			.count();
	}

	/** Closes every connection; calls in flight fail. Idempotent. */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		for (CompletableFuture<Channel> connection : this.connections.values()) {
			connection.thenAccept(Channel::close);
		}
		this.connections.clear();
		if (this.ownsGroup) {
			EventLoops.shutdown(this.group, 2000);
		}
	}

	/** {@code grpc-timeout}: at most 8 digits and a unit. */
	static String grpcTimeout(long nanos) {
		long value = nanos;
		for (String unit : new String[] { "n", "u", "m", "S", "M", "H" }) {
			long divisor = switch (unit) {
				case "u", "m", "S" -> 1000;
				case "M" -> 60;
				case "H" -> 60;
				default -> 1;
			};
			if (!unit.equals("n")) {
				value = (value + divisor - 1) / divisor;
			}
			if (value < 100_000_000L) {
				return value + unit;
			}
		}
		return "99999999H";
	}

	private static boolean isMucpHeader(String name) {
		return switch (name) {
			case "content-type", "accept", "micro-service", "micro-endpoint", "micro-method", "micro-id", "timeout",
					"content-length", "host", "connection", "te", "transfer-encoding", "upgrade", "keep-alive" ->
				true;
			default -> name.startsWith("grpc-") || name.startsWith(":");
		};
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while (current instanceof java.util.concurrent.CompletionException && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * Marks the connection as going away, so the next call opens a new one; closes it when it has carried no call for
	 * the idle timeout.
	 */
	private final class GoAwayHandler extends ChannelInboundHandlerAdapter {

		/** Completes when the server's first HTTP/2 settings arrive; fails when the connection ends before. */
		final CompletableFuture<Void> settings = new CompletableFuture<>();

		private final Http2FrameCodec codec;

		GoAwayHandler(Http2FrameCodec codec) {
			this.codec = codec;
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			this.settings.completeExceptionally(new ClosedChannelException());
			super.channelInactive(ctx);
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
			if (event instanceof IdleStateEvent && this.codec.connection().numActiveStreams() == 0) {
				GrpcTransportClient.this.connections.values()
					.removeIf((c) -> c.isDone() && !c.isCompletedExceptionally() && c.join() == ctx.channel());
				ctx.close();
				return;
			}
			super.userEventTriggered(ctx, event);
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof Http2SettingsFrame) {
				this.settings.complete(null);
			}
			if (msg instanceof Http2GoAwayFrame) {
				GrpcTransportClient.this.connections.values()
					.removeIf((c) -> c.isDone() && !c.isCompletedExceptionally() && c.join() == ctx.channel());
			}
			ReferenceCountUtil.release(msg);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.settings.completeExceptionally(cause);
			ctx.close();
		}

	}

	/** One call: one HTTP/2 stream, its answer collected into a {@link TransportResponse}. */
	private static final class Call extends SimpleChannelInboundHandler<Http2StreamFrame> {

		final CompletableFuture<TransportResponse> result = new CompletableFuture<>();

		private final String address;

		private final @Nullable String contentType;

		private final int maxMessageSize;

		private final AtomicBoolean done = new AtomicBoolean();

		private final Map<String, String> received = new java.util.LinkedHashMap<>();

		private @Nullable ByteBuf data;

		volatile @Nullable Http2StreamChannel stream;

		Call(String address, @Nullable String contentType, int maxMessageSize) {
			this.address = address;
			this.contentType = contentType;
			this.maxMessageSize = maxMessageSize;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
			boolean end = false;
			if (frame instanceof Http2HeadersFrame headers) {
				headers.headers().forEach((e) -> this.received.put(e.getKey().toString(), e.getValue().toString()));
				end = headers.isEndStream();
			}
			else if (frame instanceof Http2DataFrame dataFrame) {
				ByteBuf buffer = this.data;
				if (buffer == null) {
					buffer = ctx.alloc().buffer();
					this.data = buffer;
				}
				if (buffer.readableBytes() + dataFrame.content().readableBytes() > this.maxMessageSize + 5L) {
					fail(MicroException.payloadTooLarge("go.micro.client.transport",
							"answer from %s larger than %d bytes", this.address, this.maxMessageSize));
					ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
					return;
				}
				buffer.writeBytes(dataFrame.content());
				end = dataFrame.isEndStream();
			}
			else if (frame instanceof Http2ResetFrame reset) {
				reset(reset);
				return;
			}
			if (end) {
				finish();
			}
		}

		/** Netty's HTTP/2 multiplexer hands a stream's RST_STREAM to its channel as a user event. */
		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			if (event instanceof Http2ResetFrame reset) {
				reset(reset);
			}
			ctx.fireUserEventTriggered(event);
		}

		private void reset(Http2ResetFrame reset) {
			long code = reset.errorCode();
			fail((code == Http2Error.REFUSED_STREAM.code())
					? new UnprocessedRequestException("stream refused by " + this.address, null)
					: new ConnectionBrokenException("stream to " + this.address + " reset (" + Http2Error.valueOf(code)
							+ ")", null));
		}

		@Override
		public void handlerRemoved(ChannelHandlerContext ctx) {
			release();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			release();
			fail(new ConnectionBrokenException("connection to " + this.address + " closed before the response",
					new ClosedChannelException()));
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			fail((cause instanceof ConnectException) ? new ConnectFailedException(this.address, cause)
					: new ConnectionBrokenException("connection to " + this.address + " failed: " + cause.getMessage(),
							cause));
			ctx.close();
		}

		void timeOut(Duration timeout) {
			if (fail(MicroException.timeout("go.micro.client", "call to %s timed out after %s", this.address,
					timeout))) {
				Http2StreamChannel current = this.stream;
				if (current != null) {
					current.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
				}
			}
		}

		boolean fail(Throwable error) {
			if (this.done.compareAndSet(false, true)) {
				release();
				this.result.completeExceptionally(error);
				return true;
			}
			return false;
		}

		private void finish() {
			if (!this.done.compareAndSet(false, true)) {
				release();
				return;
			}
			byte[] message = message();
			release();
			String status = this.received.get("grpc-status");
			Metadata.Builder headers = Metadata.builder();
			this.received.forEach((key, value) -> {
				if (!key.startsWith(":") && !key.startsWith("grpc-") && !key.equals("content-type")) {
					headers.put(Metadata.canonicalKey(key), value);
				}
			});
			headers.put("Content-Type", (this.contentType != null) ? this.contentType : "application/protobuf");
			if ("0".equals(status)) {
				this.result.complete(new TransportResponse(200, headers.build(), (message != null) ? message : new byte[0]));
				return;
			}
			MicroException error = statusError(this.received);
			this.result.complete(new TransportResponse(200,
					headers.put("Micro-Error", error.toJson()).build(), new byte[0]));
		}

		/** The answer's micro error: the {@code errors.Error} detail, else the JSON message, else the code mapped. */
		static MicroException statusError(Map<String, String> received) {
			String status = received.get("grpc-status");
			int code;
			try {
				code = (status != null) ? Integer.parseInt(status.trim()) : 2;
			}
			catch (NumberFormatException ex) {
				code = 2;
			}
			String message = received.get("grpc-message");
			String text = (message != null) ? URLDecoder.decode(message.replace("+", "%2B"), StandardCharsets.UTF_8)
					: "";
			String details = received.get("grpc-status-details-bin");
			if (details != null) {
				try {
					MicroException fromDetails = GrpcErrors.fromStatusDetails(decodeBase64(details));
					if (fromDetails != null) {
						return fromDetails;
					}
				}
				catch (RuntimeException ex) {
					// not go-micro's details: fall back to the message
				}
			}
			if (text.startsWith("{")) {
				MicroException parsed = MicroException.parse(text);
				if (parsed.code() != 0) {
					return parsed;
				}
			}
			io.grpc.Status grpcStatus = io.grpc.Status.fromCodeValue(code);
			int microCode = GrpcStatuses.toMicro(grpcStatus.getCode());
			return new MicroException("go.micro.client", microCode,
					text.isEmpty() ? grpcStatus.getCode().name() : text, MicroException.statusText(microCode), null);
		}

		private byte @Nullable [] message() {
			ByteBuf buffer = this.data;
			if (buffer == null || buffer.readableBytes() < 5) {
				return null;
			}
			buffer.skipBytes(1);
			int length = buffer.readInt();
			if (length < 0 || length > buffer.readableBytes()) {
				return null;
			}
			byte[] bytes = new byte[length];
			buffer.readBytes(bytes);
			return bytes;
		}

		private void release() {
			ByteBuf buffer = this.data;
			this.data = null;
			if (buffer != null) {
				buffer.release();
			}
		}

		private static byte[] decodeBase64(String value) {
			String padded = value;
			while (padded.length() % 4 != 0) {
				padded += "=";
			}
			return Base64.getDecoder().decode(padded);
		}

	}

	/**
	 * One stream: an HTTP/2 stream whose frames are read only when the application asks for a message (so the
	 * server's flow-control window fills while nobody reads) and written only while the stream is writable (the
	 * server's window has room) with at most {@value #MAX_PENDING_WRITES} messages queued.
	 */
	private static final class StreamCall extends ChannelInboundHandlerAdapter implements TransportStream {

		private static final int MAX_PENDING_WRITES = 16;

		final StreamState state = new StreamState("go.micro.client");

		private final String address;

		private final int maxMessageSize;

		private final Map<String, String> received = new java.util.LinkedHashMap<>();

		private final java.util.concurrent.atomic.AtomicInteger pendingWrites = new java.util.concurrent.atomic.AtomicInteger();

		private final AtomicBoolean sendClosed = new AtomicBoolean();

		private volatile boolean wanted;

		private @Nullable ByteBuf buffer;

		volatile @Nullable Http2StreamChannel channel;

		StreamCall(String address, int maxMessageSize) {
			this.address = address;
			this.maxMessageSize = maxMessageSize;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				if (msg instanceof Http2HeadersFrame headers) {
					headers.headers().forEach((e) -> this.received.put(e.getKey().toString(), e.getValue().toString()));
					if (headers.isEndStream()) {
						finish();
					}
				}
				else if (msg instanceof Http2DataFrame data) {
					if (!this.state.isEnded()) {
						ByteBuf current = this.buffer;
						if (current == null) {
							current = ctx.alloc().buffer(data.content().readableBytes());
							this.buffer = current;
						}
						current.writeBytes(data.content());
						extractMessages(ctx);
						ByteBuf rest = this.buffer;
						if (rest != null && !rest.isReadable()) {
							// held only while a message is split over frames
							release();
						}
					}
					if (data.isEndStream()) {
						finish();
					}
				}
				else if (msg instanceof Http2ResetFrame reset) {
					reset(reset);
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

		private void extractMessages(ChannelHandlerContext ctx) {
			ByteBuf current = this.buffer;
			while (current != null && current.readableBytes() >= 5) {
				int start = current.readerIndex();
				int flag = current.getUnsignedByte(start);
				long length = current.getUnsignedInt(start + 1);
				if (flag != 0 || length > this.maxMessageSize) {
					this.state.end((flag != 0)
							? new MicroException("go.micro.client.transport", 500,
									"compressed stream message from " + this.address + " (compression is not supported)",
									MicroException.statusText(500), null)
							: MicroException.payloadTooLarge("go.micro.client.transport",
									"stream message from %s larger than %d bytes", this.address, this.maxMessageSize));
					ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
					release();
					return;
				}
				if (current.readableBytes() < 5 + length) {
					return;
				}
				current.skipBytes(5);
				byte[] message = new byte[(int) length];
				current.readBytes(message);
				this.wanted = false;
				this.state.offer(message);
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			// a message split over frames: read on until it is whole
			if (this.wanted && !this.state.isEnded()) {
				ctx.channel().read();
			}
			ctx.fireChannelReadComplete();
		}

		/** Netty's HTTP/2 multiplexer hands a stream's RST_STREAM to its channel as a user event. */
		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			if (event instanceof Http2ResetFrame reset) {
				reset(reset);
			}
			ctx.fireUserEventTriggered(event);
		}

		private void reset(Http2ResetFrame reset) {
			release();
			this.state.end(new ConnectionBrokenException("stream to " + this.address + " reset ("
					+ Http2Error.valueOf(reset.errorCode()) + ")", null));
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) {
			this.state.signal();
			ctx.fireChannelWritabilityChanged();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			release();
			this.state.end(new ConnectionBrokenException("connection to " + this.address + " closed during the stream",
					new ClosedChannelException()));
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.state.end(new ConnectionBrokenException("stream to " + this.address + " failed: " + cause.getMessage(),
					cause));
			ctx.close();
		}

		/** The server's status arrived: the stream's end. */
		private void finish() {
			release();
			this.state.end("0".equals(this.received.get("grpc-status")) ? null : Call.statusError(this.received));
		}

		private void release() {
			ByteBuf current = this.buffer;
			this.buffer = null;
			if (current != null) {
				current.release();
			}
		}

		void expire(Deadline deadline) {
			if (!this.state.isEnded()) {
				resetStream();
				this.state.end(MicroException.timeout("go.micro.client", "stream to %s: deadline exceeded",
						this.address));
			}
		}

		@Override
		public void send(byte[] message, Duration timeout) {
			Http2StreamChannel ch = Objects.requireNonNull(this.channel, "channel");
			if (this.sendClosed.get()) {
				throw new MicroException("go.micro.client", 500, "stream send side closed: cannot send",
						MicroException.statusText(500), null);
			}
			this.state.awaitWritable(timeout,
					() -> ch.isWritable() && this.pendingWrites.get() < MAX_PENDING_WRITES);
			ByteBuf frame = Unpooled.buffer(5 + message.length).writeByte(0).writeInt(message.length).writeBytes(message);
			this.pendingWrites.incrementAndGet();
			ch.writeAndFlush(new DefaultHttp2DataFrame(frame, false)).addListener((written) -> {
				this.pendingWrites.decrementAndGet();
				this.state.signal();
				if (!written.isSuccess()) {
					this.state.end(new ConnectionBrokenException("stream to " + this.address + " failed: "
							+ written.cause().getMessage(), written.cause()));
				}
			});
		}

		@Override
		public byte @Nullable [] receive(Duration timeout) {
			Http2StreamChannel ch = Objects.requireNonNull(this.channel, "channel");
			return this.state.take(timeout, () -> {
				this.wanted = true;
				ch.eventLoop().execute(ch::read);
			});
		}

		@Override
		public void closeSend() {
			Http2StreamChannel ch = this.channel;
			if (ch != null && this.sendClosed.compareAndSet(false, true) && !this.state.isEnded()) {
				ch.writeAndFlush(new DefaultHttp2DataFrame(true));
			}
		}

		@Override
		public void cancel() {
			if (!this.state.isEnded()) {
				resetStream();
				this.state.end(new MicroException("go.micro.client", 499, "stream cancelled by the client",
						"Client Closed Request", null));
			}
		}

		private void resetStream() {
			Http2StreamChannel ch = this.channel;
			if (ch != null && ch.isActive()) {
				ch.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
			}
		}

		@Override
		public void onEnd(java.util.function.Consumer<@Nullable Throwable> callback) {
			this.state.onEnd(callback);
		}

	}

	/** Options of a {@link GrpcTransportClient}. */
	public static final class Builder {

		private @Nullable EventLoopGroup group;

		private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

		private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

		private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

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
		 * returns new options after certificate files changed applies them to new connections, while open ones keep
		 * theirs); {@link TlsOptions#defaults()} by default: the JDK's CAs, no certificate, hostname verification on.
		 */
		public Builder tls(Supplier<TlsOptions> tls) {
			this.tls = Objects.requireNonNull(tls, "tls");
			return this;
		}

		/** The event loops of the connections (not shut down by the client); a daemon loop of its own otherwise. */
		public Builder eventLoopGroup(@Nullable EventLoopGroup group) {
			this.group = group;
			return this;
		}

		/** The bound of opening a connection; 5 s by default. */
		public Builder connectTimeout(Duration timeout) {
			this.connectTimeout = Arguments.positive("connectTimeout", timeout);
			return this;
		}

		/**
		 * How long a connection that carries no call stays open (60 s by default, below the 90 s idle
		 * timeout of micro4j's servers, so the client closes first); zero keeps it open.
		 */
		public Builder idleTimeout(Duration timeout) {
			this.idleTimeout = Arguments.nonNegative("idleTimeout", timeout);
			return this;
		}

		/** The largest answer message read. */
		public Builder maxMessageSize(int bytes) {
			this.maxMessageSize = Arguments.positive("maxMessageSize", bytes);
			return this;
		}

		public GrpcTransportClient build() {
			return new GrpcTransportClient(this);
		}

	}

}
