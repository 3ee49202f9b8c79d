package io.micro4j.transport.http.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;

/**
 * The first handler of a TLS server connection: a TLS client gets an {@link SslHandler} in its place; a client that
 * sends plaintext HTTP gets a 400 micro error ("client sent an HTTP request to a TLS server", as Go's TLS servers
 * answer) and the connection is closed.
 */
final class ServerTlsHandler extends OptionalSslHandler {

	private final long handshakeTimeoutMillis;

	ServerTlsHandler(SslContext context, long handshakeTimeoutMillis) {
		super(context);
		this.handshakeTimeoutMillis = handshakeTimeoutMillis;
	}

	@Override
	protected SslHandler newSslHandler(ChannelHandlerContext ctx, SslContext context) {
		SslHandler handler = super.newSslHandler(ctx, context);
		if (this.handshakeTimeoutMillis > 0) {
			handler.setHandshakeTimeoutMillis(this.handshakeTimeoutMillis);
		}
		return handler;
	}

	@Override
	protected @Nullable ChannelHandler newNonSslHandler(ChannelHandlerContext ctx) {
		ServerConnection connection = ctx.pipeline().get(ServerConnection.class);
		if (connection != null) {
			connection.refusePlaintext();
		}
		else {
			ctx.close();
		}
		// This handler leaves; the plaintext goes on to the connection, which discards it while closing.
		return null;
	}

}
