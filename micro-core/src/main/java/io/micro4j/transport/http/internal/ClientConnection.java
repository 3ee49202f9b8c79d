package io.micro4j.transport.http.internal;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

import javax.net.ssl.SSLHandshakeException;

import io.micro4j.transport.TlsHandshakeException;
import io.micro4j.transport.TransportResponse;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: writes the request of the current {@link Exchange} and collects its response.
 * <p>
 * A connection carries one exchange at a time. After a complete response it goes back to the pool, unless the
 * server said {@code Connection: close}; on any failure it is closed. State is touched on the event loop only.
 */
public final class ClientConnection extends ChannelInboundHandlerAdapter {

	private static final Logger logger = LoggerFactory.getLogger(ClientConnection.class);

	/** Status line limit, as Netty's default. */
	private static final int MAX_INITIAL_LINE_LENGTH = 4096;

	/** Header block limit; go-micro servers echo every request header. */
	private static final int MAX_HEADER_SIZE = 64 * 1024;

	private final ConnectionPool pool;

	private final int maxResponseSize;

	private @Nullable ChannelHandlerContext ctx;

	/** The pool this connection belongs to, once it carried an exchange. */
	private @Nullable String poolKey;

	/** Whether the current exchange's request was written completely. */
	private boolean written;

	private @Nullable Exchange current;

	private @Nullable HttpResponse head;

	private @Nullable BodyBuffer body;

	private long received;

	private boolean informational;

	/** Whether this connection's TLS client side had a certificate to present. */
	private boolean hasCertificate;

	private ClientConnection(ConnectionPool pool, int maxResponseSize) {
		this.pool = pool;
		this.maxResponseSize = maxResponseSize;
	}

	/** The pipeline of a new client connection: the HTTP/1.1 codec and a {@link ClientConnection}. */
	public static ChannelInitializer<SocketChannel> initializer(ConnectionPool pool, int maxResponseSize) {
		return new ChannelInitializer<>() {
			@Override
			protected void initChannel(SocketChannel ch) {
				HttpDecoderConfig config = new HttpDecoderConfig().setMaxInitialLineLength(MAX_INITIAL_LINE_LENGTH)
					.setMaxHeaderSize(MAX_HEADER_SIZE);
				ch.pipeline().addLast("http", new HttpClientCodec(config, false, false));
				ch.pipeline().addLast("mucp", new ClientConnection(pool, maxResponseSize));
			}
		};
	}

	/**
	 * Writes the request of {@code exchange} on {@code channel}; must run on the channel's event loop. The
	 * exchange completes when the response has arrived or the connection failed.
	 */
	public static void start(Channel channel, Exchange exchange) {
		ClientConnection connection = channel.pipeline().get(ClientConnection.class);
		if (connection == null) {
			channel.close();
			exchange.failUnprocessed(null, "connection to %s is not usable", exchange.address());
			return;
		}
		connection.begin(exchange);
	}

	/**
	 * Starts TLS on a new {@code channel} to {@code host}:{@code port} and, once the handshake succeeded, writes the
	 * request of {@code exchange}; must run on the channel's event loop. A failed handshake closes the channel and
	 * fails the exchange with a {@link TlsHandshakeException} that says what was wrong.
	 */
	public static void startTls(Channel channel, Exchange exchange, SslContext context, boolean hasCertificate,
			String host, int port) {
		if (!exchange.attach(channel)) {
			return;
		}
		ClientConnection connection = channel.pipeline().get(ClientConnection.class);
		if (connection != null) {
			connection.hasCertificate = hasCertificate;
		}
		SslHandler tls = context.newHandler(channel.alloc(), host, port);
		channel.pipeline().addFirst("tls", tls);
		tls.handshakeFuture().addListener(f -> {
			if (f.isSuccess()) {
				start(channel, exchange);
			}
			else {
				channel.close();
				exchange.fail(handshakeFailure(exchange, host, hasCertificate, f.cause()));
			}
		});
	}

	private static TlsHandshakeException handshakeFailure(Exchange exchange, String host, boolean hasCertificate,
			Throwable cause) {
		return new TlsHandshakeException(exchange.address(), TlsFailures.describe(cause, host, hasCertificate), cause);
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
	}

	private void begin(Exchange exchange) {
		ChannelHandlerContext context = this.ctx;
		if (context == null || this.current != null) {
			exchange.failUnprocessed(null, "connection to %s is busy", exchange.address());
			return;
		}
		Channel channel = context.channel();
		if (!exchange.attach(channel)) {
			return;
		}
		this.poolKey = exchange.poolKey();
		this.current = exchange;
		this.head = null;
		this.body = null;
		this.received = 0;
		this.informational = false;
		this.written = false;
		context.writeAndFlush(exchange.newRequest()).addListener(f -> {
			if (f.isSuccess() && this.current == exchange) {
				this.written = true;
			}
			// A server may answer (413) and close before the whole request is written: the answer stands.
			if (!f.isSuccess() && this.current == exchange) {
				// not (completely) written: a server cannot have handled a request it did not receive whole
				failUnprocessed(exchange, f.cause(), "could not send request to %s: %s", exchange.address(),
						describe(f.cause()));
			}
		});
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		try {
			Exchange exchange = this.current;
			if (exchange == null) {
				if (!ctx.channel().isActive()) {
					return;
				}
				logger.debug("Unexpected data from {} on an idle connection, closing it", ctx.channel().remoteAddress());
				ctx.close();
				return;
			}
			if (!(msg instanceof HttpObject object)) {
				return;
			}
			DecoderResult result = object.decoderResult();
			if (result.isFailure()) {
				fail(exchange, result.cause(), "malformed response from %s: %s", exchange.address(),
						describe(result.cause()));
				return;
			}
			if (msg instanceof HttpResponse response) {
				onHead(exchange, response);
			}
			if (msg instanceof HttpContent content && this.current == exchange) {
				onContent(exchange, content);
			}
		}
		finally {
			ReferenceCountUtil.release(msg);
		}
	}

	private void onHead(Exchange exchange, HttpResponse response) {
		int code = response.status().code();
		if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL && code != 101) {
			this.informational = true;
			return;
		}
		long length = HttpUtil.getContentLength(response, -1L);
		if (length > this.maxResponseSize) {
			tooLarge(exchange, length);
			return;
		}
		this.head = response;
		this.body = new BodyBuffer(length);
	}

	private void onContent(Exchange exchange, HttpContent content) {
		if (this.informational) {
			if (content instanceof LastHttpContent) {
				this.informational = false;
			}
			return;
		}
		BodyBuffer buffer = this.body;
		HttpResponse response = this.head;
		if (buffer == null || response == null) {
			return;
		}
		this.received += content.content().readableBytes();
		if (this.received > this.maxResponseSize) {
			tooLarge(exchange, this.received);
			return;
		}
		buffer.append(content.content());
		if (content instanceof LastHttpContent) {
			complete(exchange, response, buffer);
		}
	}

	private void complete(Exchange exchange, HttpResponse response, BodyBuffer buffer) {
		this.current = null;
		this.head = null;
		this.body = null;
		TransportResponse result = new TransportResponse(response.status().code(),
				WireHeaders.responseMetadata(response.headers()), buffer.toArray());
		Channel channel = (this.ctx != null) ? this.ctx.channel() : null;
		if (channel != null) {
			if (HttpUtil.isKeepAlive(response) && !exchange.isDone()) {
				this.pool.release(exchange.poolKey(), channel);
			}
			else {
				channel.close();
			}
		}
		exchange.succeed(result);
	}

	private void tooLarge(Exchange exchange, long size) {
		fail(exchange, null, "response from %s too large: %d bytes (limit %d)", exchange.address(), size,
				this.maxResponseSize);
	}

	private void failUnprocessed(Exchange exchange, @Nullable Throwable cause, String format, Object... args) {
		reset(exchange);
		exchange.failUnprocessed(cause, format, args);
	}

	private void fail(Exchange exchange, @Nullable Throwable cause, String format, Object... args) {
		reset(exchange);
		exchange.failTransport(cause, format, args);
	}

	private void reset(Exchange exchange) {
		if (this.current == exchange) {
			this.current = null;
			this.head = null;
			this.body = null;
		}
		if (this.ctx != null) {
			this.ctx.close();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		Exchange exchange = this.current;
		if (exchange != null && !this.written) {
			failUnprocessed(exchange, null, "connection to %s closed before the request was sent", exchange.address());
		}
		else if (exchange != null) {
			reset(exchange);
			exchange.failBroken(null, "connection to %s closed before the response", exchange.address());
		}
		else if (this.poolKey != null) {
			this.pool.remove(this.poolKey, ctx.channel());
		}
		ctx.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		Exchange exchange = this.current;
		Throwable tls = TlsFailures.tlsCause(cause);
		if (exchange != null && tls instanceof SSLHandshakeException) {
			// TLS 1.3: the server checks the client's certificate after the client finished its handshake and wrote
			// the request; the server refused the connection, the request was not handled.
			reset(exchange);
			exchange.fail(handshakeFailure(exchange, hostOf(exchange.address()), this.hasCertificate, tls));
			return;
		}
		if (exchange == null && tls != null) {
			logger.debug("TLS failure on idle connection to {}: {}", ctx.channel().remoteAddress(), tls.toString());
			ctx.close();
			return;
		}
		if (exchange != null && !this.written) {
			failUnprocessed(exchange, cause, "connection to %s failed before the request was sent: %s",
					exchange.address(), describe(cause));
			return;
		}
		if (exchange != null && cause instanceof IOException) {
			reset(exchange);
			exchange.failBroken(cause, "connection to %s failed: %s", exchange.address(), describe(cause));
			return;
		}
		if (exchange != null) {
			fail(exchange, cause, "connection to %s failed: %s", exchange.address(), describe(cause));
			return;
		}
		if (cause instanceof IOException) {
			logger.debug("I/O error on idle connection to {}: {}", ctx.channel().remoteAddress(), cause.toString());
		}
		else {
			logger.warn("Unexpected error on idle connection to {}, closing it", ctx.channel().remoteAddress(), cause);
		}
		ctx.close();
	}

	private static String hostOf(String address) {
		try {
			return HostPort.parse(address).host();
		}
		catch (IllegalArgumentException ex) {
			return address;
		}
	}

	private static String describe(Throwable cause) {
		if (cause instanceof ClosedChannelException) {
			return "connection closed";
		}
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

}
