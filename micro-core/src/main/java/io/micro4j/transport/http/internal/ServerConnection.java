package io.micro4j.transport.http.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.micro4j.errors.MicroException;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import io.micro4j.transport.http.internal.ReadDeadline.Wait;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted connection: collects each request, hands it to the {@link io.micro4j.transport.TransportHandler}
 * and writes its response.
 * <p>
 * Requests are served one at a time: while a response is pending the connection stops reading, and anything already
 * decoded waits in a small backlog, so responses go out in request order. All state is touched on the connection's
 * event loop only.
 * <p>
 * One {@link ReadDeadline} applies the server's {@link io.micro4j.transport.http.ConnectionLimits}: from accepting
 * (or from the first byte of a further request) the headers must be complete within the read-header timeout; body
 * pieces may be apart by the read timeout at most; after a response the next request must start within the idle
 * timeout. While a handler runs there is no deadline. The {@link #inputWatch()} handler, placed before the HTTP
 * codec, reports raw input, which the codec would hold back until a whole header block is there.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter {

	private static final Logger logger = LoggerFactory.getLogger(ServerConnection.class);

	/** The error id of failures found by the transport itself. */
	static final String TRANSPORT_ERROR_ID = "go.micro.transport";

	/** The error id of a handler that failed instead of answering. */
	static final String SERVER_ERROR_ID = "go.micro.server";

	/**
	 * After answering a request it will not read (413, 400), the connection keeps reading and discarding for this
	 * long before closing, so that a client still sending its body reads the answer instead of a reset.
	 */
	private static final long LINGER_MILLIS = 1000;

	/* Header names as Go writes them (Netty's constants are lower case). */

	private static final String CONTENT_LENGTH = "Content-Length";

	private static final String CONNECTION = "Connection";

	private static final String CLOSE = "close";

	/** Framing headers the transport writes itself; an echoed request header must not repeat them. */
	private static final Set<String> NOT_COPIED_TO_RESPONSE = Set.of("Content-Length", "Transfer-Encoding",
			"Trailer", "Connection");

	private enum State {

		/** Waiting for a request. */
		IDLE,
		/** Collecting the body of a POST. */
		READING,
		/** Discarding the body of a request that will get a 405. */
		REJECTING,
		/** A response is pending; input waits in the backlog. */
		RESPONDING,
		/** An answer that ends the connection was sent, or it is closed; input is discarded. */
		CLOSING

	}

	private enum Problem {

		MALFORMED, TOO_LARGE, NOT_POST, HANDLER_FAILED, IO, UNEXPECTED, TIMED_OUT, TLS

	}

	private final ServerContext server;

	private final ArrayDeque<Object> backlog = new ArrayDeque<>();

	private final EnumSet<Problem> logged = EnumSet.noneOf(Problem.class);

	private @Nullable ChannelHandlerContext ctx;

	private State state = State.IDLE;

	private @Nullable HttpRequest request;

	private @Nullable BodyBuffer body;

	private long received;

	private boolean closeAfterResponse;

	private boolean resuming;

	private @Nullable ReadDeadline deadline;

	/** Bytes of a request arrived whose headers are not complete yet. */
	private boolean partial;

	private boolean admitted;

	ServerConnection(ServerContext server) {
		this.server = server;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
		this.deadline = new ReadDeadline(ctx.executor(), this.server.limits(), (wait) -> expired(ctx, wait));
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		this.server.connections().add(ctx.channel());
		if (this.server.draining()) {
			ctx.close();
			return;
		}
		this.admitted = true;
		if (!this.server.admit(this)) {
			this.state = State.CLOSING;
			ctx.close();
			return;
		}
		deadline().await(Wait.HEADERS, System.nanoTime());
		ctx.fireChannelActive();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		this.state = State.CLOSING;
		this.request = null;
		this.body = null;
		releaseBacklog();
		deadline().cancel();
		if (this.admitted) {
			this.admitted = false;
			this.server.removed(this);
		}
		ctx.fireChannelInactive();
	}

	/** The handler to place before the HTTP codec: it reports each piece of raw input to this connection. */
	ChannelHandler inputWatch() {
		return new ChannelInboundHandlerAdapter() {
			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				inputArrived();
				ctx.fireChannelRead(msg);
			}
		};
	}

	/**
	 * Closes this connection to make room for another, unless it started reading a request meanwhile. Called from
	 * any thread.
	 */
	void evict() {
		ChannelHandlerContext context = this.ctx;
		if (context == null) {
			return;
		}
		boolean queued = EventLoops.run(context.executor(), () -> {
			if (this.state == State.IDLE && this.request == null) {
				logOnce(Problem.TIMED_OUT, "Closing idle connection {} to make room for another", context.channel());
				this.state = State.CLOSING;
				context.close();
			}
		});
		if (!queued) {
			context.channel().close();
		}
	}

	private ReadDeadline deadline() {
		ReadDeadline current = this.deadline;
		if (current == null) {
			throw new IllegalStateException("connection handler not added to a pipeline");
		}
		return current;
	}

	/** Raw input arrived: it continues a body, or starts a request (the header time counts from here). */
	private void inputArrived() {
		long now = System.nanoTime();
		if (this.state == State.READING || this.state == State.REJECTING) {
			deadline().bodyRead(now);
		}
		else if (!this.partial) {
			this.partial = true;
			if (this.state == State.IDLE && deadline().waiting() == Wait.IDLE) {
				deadline().await(Wait.HEADERS, now);
			}
		}
	}

	/** The connection waits for its next request: idle, or, when part of it arrived, for the rest of its headers. */
	private void enterIdle() {
		this.server.idle(this);
		deadline().await(this.partial ? Wait.HEADERS : Wait.IDLE, System.nanoTime());
	}

	/** A read deadline ran out: close, with a 408 when the client was in the middle of a request. */
	private void expired(ChannelHandlerContext ctx, Wait wait) {
		if (!ctx.channel().isActive()) {
			return;
		}
		if (wait == Wait.IDLE && this.state == State.IDLE) {
			logOnce(Problem.TIMED_OUT, "Closing connection {}: idle for longer than {}", ctx.channel(),
					this.server.limits().idleTimeout());
			this.state = State.CLOSING;
			ctx.close();
		}
		else if (wait == Wait.HEADERS && this.state == State.IDLE) {
			String detail = "request headers not received within " + this.server.limits().readHeaderTimeout();
			if (this.partial) {
				timedOut(ctx, detail);
			}
			else {
				logOnce(Problem.TIMED_OUT, "Closing connection {}: {}", ctx.channel(), detail);
				this.state = State.CLOSING;
				ctx.close();
			}
		}
		else if (wait == Wait.BODY && (this.state == State.READING || this.state == State.REJECTING)) {
			timedOut(ctx, "request body stalled for longer than " + this.server.limits().readTimeout());
		}
	}

	/** Answers 408 and closes: the client was too slow with its request. */
	private void timedOut(ChannelHandlerContext ctx, String detail) {
		logOnce(Problem.TIMED_OUT, "Closing connection {} with a 408: {}", ctx.channel(), detail);
		this.state = State.CLOSING;
		this.request = null;
		this.body = null;
		releaseBacklog();
		this.server.busy(this);
		FullHttpResponse response = errorResponse(HttpResponseStatus.REQUEST_TIMEOUT,
				MicroException.timeout(TRANSPORT_ERROR_ID, "%s", detail));
		response.headers().set(CONNECTION, CLOSE);
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		Throwable tls = TlsFailures.tlsCause(cause);
		if (tls != null) {
			logOnce(Problem.TLS, "TLS failure on {}, closing it: {}", ctx.channel(), tls.toString());
		}
		else if (cause instanceof IOException) {
			logOnce(Problem.IO, "I/O error on {}: {}", ctx.channel(), cause.toString());
		}
		else {
			logOnce(Problem.UNEXPECTED, "Unexpected error on {}, closing it", ctx.channel(), cause);
		}
		ctx.close();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.state == State.CLOSING) {
			ReferenceCountUtil.release(msg);
		}
		else if (this.state == State.RESPONDING || !this.backlog.isEmpty()) {
			this.backlog.add(msg);
		}
		else {
			process(ctx, msg);
		}
	}

	/** Called on the event loop when the server stops: close now if idle, otherwise after the pending response. */
	void drain() {
		this.closeAfterResponse = true;
		if (this.state == State.IDLE && this.backlog.isEmpty() && this.ctx != null) {
			this.ctx.close();
		}
	}

	private void process(ChannelHandlerContext ctx, Object msg) {
		try {
			if (!(msg instanceof HttpObject object)) {
				return;
			}
			DecoderResult result = object.decoderResult();
			if (result.isFailure()) {
				malformed(ctx, result.cause());
				return;
			}
			if (msg instanceof HttpRequest req) {
				startRequest(ctx, req);
			}
			if (msg instanceof HttpContent content && this.state != State.CLOSING) {
				content(ctx, content);
			}
		}
		finally {
			ReferenceCountUtil.release(msg);
		}
	}

	private void startRequest(ChannelHandlerContext ctx, HttpRequest req) {
		this.request = req;
		this.received = 0;
		this.partial = false;
		this.server.busy(this);
		deadline().await(Wait.BODY, System.nanoTime());
		if (!HttpMethod.POST.equals(req.method())) {
			this.state = State.REJECTING;
			return;
		}
		long length;
		try {
			length = HttpUtil.getContentLength(req, -1L);
		}
		catch (NumberFormatException ex) {
			malformed(ctx, ex);
			return;
		}
		int limit = this.server.maxBodySize();
		if (length > limit) {
			tooLarge(ctx, length, limit);
			return;
		}
		if (HttpUtil.is100ContinueExpected(req)) {
			ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
					Unpooled.EMPTY_BUFFER));
		}
		this.body = new BodyBuffer(length);
		this.state = State.READING;
	}

	private void content(ChannelHandlerContext ctx, HttpContent content) {
		if (this.state == State.READING) {
			BodyBuffer buffer = this.body;
			int limit = this.server.maxBodySize();
			this.received += content.content().readableBytes();
			if (this.received > limit || buffer == null) {
				tooLarge(ctx, this.received, limit);
				return;
			}
			buffer.append(content.content());
			if (content instanceof LastHttpContent) {
				dispatch(ctx);
			}
		}
		else if (this.state == State.REJECTING && content instanceof LastHttpContent) {
			HttpRequest req = this.request;
			String method = (req != null) ? req.method().name() : "?";
			logOnce(Problem.NOT_POST, "Rejected {} request on {} (expected: POST)", method, ctx.channel());
			MicroException error = MicroException.methodNotAllowed(TRANSPORT_ERROR_ID,
					"method %s not allowed (expected: POST)", method);
			this.state = State.RESPONDING;
			deadline().await(Wait.NONE, System.nanoTime());
			ctx.channel().config().setAutoRead(false);
			boolean keepAlive = req == null || HttpUtil.isKeepAlive(req);
			this.request = null;
			write(ctx, errorResponse(HttpResponseStatus.METHOD_NOT_ALLOWED, error), keepAlive);
		}
	}

	private void dispatch(ChannelHandlerContext ctx) {
		HttpRequest req = this.request;
		BodyBuffer buffer = this.body;
		this.request = null;
		this.body = null;
		if (req == null || buffer == null) {
			return;
		}
		boolean keepAlive = HttpUtil.isKeepAlive(req);
		TransportRequest transportRequest = new TransportRequest(WireHeaders.requestMetadata(req.headers()),
				buffer.toArray(), requestTarget(req.uri()));
		this.state = State.RESPONDING;
		deadline().await(Wait.NONE, System.nanoTime());
		ctx.channel().config().setAutoRead(false);
		CompletableFuture<TransportResponse> future;
		try {
			future = this.server.handler()
				.handle(transportRequest, (InetSocketAddress) ctx.channel().localAddress(),
						(InetSocketAddress) ctx.channel().remoteAddress());
			if (future == null) {
				future = CompletableFuture.failedFuture(new IllegalStateException("handler returned no future"));
			}
		}
		catch (RuntimeException ex) {
			future = CompletableFuture.failedFuture(ex);
		}
		future.whenComplete((response, failure) -> {
			if (!EventLoops.run(ctx.executor(), () -> respond(ctx, response, failure, keepAlive))) {
				ctx.channel().close();
			}
		});
	}

	private void respond(ChannelHandlerContext ctx, @Nullable TransportResponse response, @Nullable Throwable failure,
			boolean keepAlive) {
		if (this.state != State.RESPONDING || !ctx.channel().isActive()) {
			return;
		}
		Throwable problem = failure;
		FullHttpResponse http = null;
		if (problem == null && response != null) {
			try {
				http = toHttp(response);
			}
			catch (RuntimeException ex) {
				problem = ex;
			}
		}
		if (http == null) {
			Throwable cause = unwrap((problem != null) ? problem : new IllegalStateException("handler returned no response"));
			logOnce(Problem.HANDLER_FAILED, "Handler failed on {}, answering 500 and closing: {}", ctx.channel(),
					cause.toString());
			this.state = State.CLOSING;
			FullHttpResponse error = errorResponse(HttpResponseStatus.INTERNAL_SERVER_ERROR,
					MicroException.from(SERVER_ERROR_ID, cause));
			write(ctx, error, false);
			return;
		}
		write(ctx, http, keepAlive);
	}

	/** The target as sent when it is a path, else {@code /} (an absolute-form or {@code *} target). */
	private static String requestTarget(String uri) {
		return uri.startsWith("/") ? uri : TransportRequest.DEFAULT_TARGET;
	}

	private static FullHttpResponse toHttp(TransportResponse response) {
		int status = response.status();
		if (status < 200 || status > 599) {
			throw new IllegalArgumentException("response status: " + status + " (expected: 200 to 599)");
		}
		byte[] bytes = response.body();
		FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
				Unpooled.wrappedBuffer(bytes));
		WireHeaders.addAll(response.headers(), http.headers(), NOT_COPIED_TO_RESPONSE);
		if (status != 204 && status != 304) {
			http.headers().set(CONTENT_LENGTH, bytes.length);
		}
		return http;
	}

	/** Writes a response; afterwards reads the next request, or closes when {@code keepAlive} is off. */
	private void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
		boolean close = !keepAlive || this.closeAfterResponse || this.server.draining();
		if (close) {
			response.headers().set(CONNECTION, CLOSE);
		}
		ChannelFuture written = ctx.writeAndFlush(response);
		written.addListener(f -> {
			if (!f.isSuccess()) {
				logOnce(Problem.IO, "Could not write response on {}: {}", ctx.channel(), f.cause().toString());
				ctx.close();
			}
			else if (close) {
				ctx.close();
			}
			else {
				this.state = State.IDLE;
				resume(ctx);
			}
		});
	}

	/**
	 * Serves what waited in the backlog, then reads from the socket again. A response written synchronously while
	 * serving the backlog calls back in here; the flag keeps that from recursing once per pipelined request.
	 */
	private void resume(ChannelHandlerContext ctx) {
		if (this.resuming) {
			return;
		}
		this.resuming = true;
		try {
			Object next;
			while (this.state != State.RESPONDING && this.state != State.CLOSING
					&& (next = this.backlog.poll()) != null) {
				process(ctx, next);
			}
		}
		finally {
			this.resuming = false;
		}
		if (this.state == State.CLOSING) {
			releaseBacklog();
		}
		else if (this.state == State.IDLE && this.backlog.isEmpty() && this.closeAfterResponse) {
			ctx.close();
		}
		else if (this.state != State.RESPONDING) {
			if (this.state == State.IDLE && this.backlog.isEmpty()) {
				enterIdle();
			}
			ctx.channel().config().setAutoRead(true);
		}
	}

	private void tooLarge(ChannelHandlerContext ctx, long size, int limit) {
		logOnce(Problem.TOO_LARGE, "Request body on {} too large: {} bytes (limit {}), answering 413 and closing",
				ctx.channel(), size, limit);
		MicroException error = MicroException.payloadTooLarge(TRANSPORT_ERROR_ID,
				"request body too large: %d bytes (limit %d)", size, limit);
		refuse(ctx, errorResponse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, error));
	}

	private void malformed(ChannelHandlerContext ctx, Throwable cause) {
		logOnce(Problem.MALFORMED, "Malformed request on {}, answering 400 and closing: {}", ctx.channel(),
				cause.toString());
		String reason = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		MicroException error = MicroException.badRequest(TRANSPORT_ERROR_ID, "malformed request: %s", reason);
		refuse(ctx, errorResponse(HttpResponseStatus.BAD_REQUEST, error));
	}

	/** Answers plaintext sent to a TLS port with a 400 and ends the connection, as Go's TLS servers do. */
	void refusePlaintext() {
		ChannelHandlerContext context = this.ctx;
		if (context == null) {
			return;
		}
		logOnce(Problem.TLS, "Plaintext request on TLS connection {}, answering 400 and closing", context.channel());
		MicroException error = MicroException.badRequest(TRANSPORT_ERROR_ID,
				"client sent an HTTP request to a TLS server (this node requires TLS)");
		refuse(context, errorResponse(HttpResponseStatus.BAD_REQUEST, error));
	}

	/**
	 * Answers a request that will not be read and ends the connection: the answer, then a half close, then reading
	 * and discarding for a while so that the client can finish sending and read the answer.
	 */
	private void refuse(ChannelHandlerContext ctx, FullHttpResponse response) {
		this.state = State.CLOSING;
		deadline().await(Wait.NONE, System.nanoTime());
		this.request = null;
		this.body = null;
		releaseBacklog();
		response.headers().set(CONNECTION, CLOSE);
		ctx.writeAndFlush(response).addListener(f -> {
			if (!f.isSuccess() || !(ctx.channel() instanceof DuplexChannel duplex)) {
				ctx.close();
				return;
			}
			duplex.shutdownOutput();
			ctx.channel().config().setAutoRead(true);
			try {
				ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				ctx.close();
			}
		});
	}

	private static FullHttpResponse errorResponse(HttpResponseStatus status, MicroException error) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
		CharSequence json = WireHeaders.toWire(error.toJson());
		response.headers().set("Micro-Error", json);
		response.headers().set("X-Micro-Error", json);
		response.headers().set(CONTENT_LENGTH, "0");
		return response;
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	private void releaseBacklog() {
		Object msg;
		while ((msg = this.backlog.poll()) != null) {
			ReferenceCountUtil.release(msg);
		}
	}

	private void logOnce(Problem problem, String format, Object... args) {
		if (!this.logged.add(problem)) {
			return;
		}
		if (problem == Problem.HANDLER_FAILED || problem == Problem.UNEXPECTED) {
			logger.warn(format, args);
		}
		else {
			logger.debug(format, args);
		}
	}

}
