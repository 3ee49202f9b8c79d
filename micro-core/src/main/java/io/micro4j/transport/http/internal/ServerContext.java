package io.micro4j.transport.http.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.micro4j.transport.TransportHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * What the connections of one server share: the handler, the body limit, the set of open connections and whether
 * the server is draining for a stop.
 */
public final class ServerContext {

	/** Request line limit, as Netty's default. */
	private static final int MAX_INITIAL_LINE_LENGTH = 4096;

	/** Header block limit: generous for metadata (trace state, auth tokens) yet bounded. */
	private static final int MAX_HEADER_SIZE = 64 * 1024;

	private final TransportHandler handler;

	private final int maxBodySize;

	private final ChannelGroup connections;

	private volatile boolean draining;

	public ServerContext(TransportHandler handler, int maxBodySize, ChannelGroup connections) {
		this.handler = Objects.requireNonNull(handler, "handler");
		this.maxBodySize = maxBodySize;
		this.connections = connections;
	}

	TransportHandler handler() {
		return this.handler;
	}

	int maxBodySize() {
		return this.maxBodySize;
	}

	ChannelGroup connections() {
		return this.connections;
	}

	boolean draining() {
		return this.draining;
	}

	/** The connections open now. */
	public List<Channel> connectionsSnapshot() {
		return new ArrayList<>(this.connections);
	}

	/** Closes every connection still open, waiting for that unless {@code mayBlock} is off. */
	public void closeAll(boolean mayBlock) {
		ChannelGroupFuture closed = this.connections.close();
		if (mayBlock) {
			closed.awaitUninterruptibly();
		}
	}

	/** The pipeline of an accepted connection: the HTTP/1.1 codec and a {@link ServerConnection}. */
	public ChannelInitializer<SocketChannel> initializer() {
		return new ChannelInitializer<>() {
			@Override
			protected void initChannel(SocketChannel ch) {
				HttpDecoderConfig config = new HttpDecoderConfig().setMaxInitialLineLength(MAX_INITIAL_LINE_LENGTH)
					.setMaxHeaderSize(MAX_HEADER_SIZE);
				ch.pipeline().addLast("http", new HttpServerCodec(config));
				ch.pipeline().addLast("mucp", new ServerConnection(ServerContext.this));
			}
		};
	}

	/**
	 * Starts draining: every connection closes once it is idle, right away if it is idle now; responses written
	 * from now on carry {@code Connection: close}.
	 */
	public void startDraining() {
		this.draining = true;
		for (Channel channel : this.connections) {
			boolean queued = EventLoops.run(channel.eventLoop(), () -> {
				ServerConnection connection = channel.pipeline().get(ServerConnection.class);
				if (connection != null) {
					connection.drain();
				}
				else {
					channel.close();
				}
			});
			if (!queued) {
				channel.close();
			}
		}
	}

}
