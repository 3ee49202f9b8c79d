package io.micro4j.transport.http.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micro4j.internal.OutageLog;
import io.micro4j.transport.TransportHandler;
import io.micro4j.transport.http.ConnectionLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * What the connections of one server share: the handler, the body limit, the connection limits, the set of open
 * connections (and, among them, the idle ones, longest idle first) and whether the server is draining for a stop.
 * <p>
 * Two lasting conditions are logged once when they start and once when they end ({@link OutageLog}): the server
 * holding its maximum of connections, and accepting failing (out of file descriptors, typically). When accepting
 * fails, the server lowers its connection ceiling below what it holds, closes its longest-idle connections down to
 * it, stops accepting for a moment and goes on serving the connections it has; from then on each new connection
 * closes the longest-idle one, as at the configured limit. After each quiet period without a failure the ceiling
 * rises by a quarter (a new failure lowers it again, silently); the outage ends, and is logged as ended, when the
 * ceiling is back at the configured limit.
 * <p>
 * Closing a connection finishes on its own event loop, later than the accept that asked for it; so that closes
 * cannot fall behind accepts, accepting pauses while the accepted sockets not yet closed exceed the ceiling by a
 * margin.
 */
public final class ServerContext {

	private static final Logger logger = LoggerFactory.getLogger(ServerContext.class);

	/** Request line limit, as Netty's default. */
	private static final int MAX_INITIAL_LINE_LENGTH = 4096;

	/** Header block limit: generous for metadata (trace state, auth tokens) yet bounded. */
	private static final int MAX_HEADER_SIZE = 64 * 1024;

	/** How long accepting pauses after it failed (Netty's own pause is a second). */
	private static final long ACCEPT_PAUSE_MILLIS = 100;

	/** How many idle connections are closed each time accepting fails. */
	private static final int SHED_ON_ACCEPT_FAILURE = 16;

	/** The lowered ceiling rises after each period this long without an accept failure. */
	private static final long ACCEPT_QUIET_NANOS = TimeUnit.SECONDS.toNanos(5);

	/** How many accepted sockets may wait to be closed beyond the ceiling before accepting pauses. */
	private static final int CLOSE_BACKLOG = 32;

	static {
		// The failure path must not load classes then: loading a class may need a file descriptor (a class file in a
		// directory), the very thing that ran out. A silent outage log loads what logging an outage takes.
		OutageLog warmUp = new OutageLog(NOPLogger.NOP_LOGGER, "warm-up");
		warmUp.failed(new IOException("warm-up"));
		warmUp.recovered();
	}

	private final TransportHandler handler;

	private final int maxBodySize;

	private final ConnectionLimits limits;

	private final int maxConnections;

	private final ChannelGroup connections;

	private final AtomicInteger open = new AtomicInteger();

	/** Accepted sockets not closed yet: the descriptors this server holds. */
	private final AtomicInteger held = new AtomicInteger();

	/** The connection limit in force: {@link #maxConnections}, lower while accepting fails. */
	private volatile int ceiling;

	private volatile @Nullable Channel listener;

	private volatile boolean acceptPaused;

	/** Connections with no request being read or handled, longest idle first; guarded by itself. */
	private final LinkedHashSet<ServerConnection> idle = new LinkedHashSet<>();

	/** When accepting last failed or the lowered ceiling last rose. */
	private final AtomicLong acceptCalmSince = new AtomicLong();

	private volatile @Nullable OutageLog full;

	private volatile @Nullable OutageLog accepting;

	private volatile boolean draining;

	/** The TLS contexts of a TLS server; {@code null} for plaintext. */
	private final @Nullable TlsContexts tls;

	/**
	 * @param maxConnections the connection limit in force, which may be lower than the one in {@code limits}
	 */
	public ServerContext(TransportHandler handler, int maxBodySize, ConnectionLimits limits, int maxConnections,
			ChannelGroup connections, @Nullable TlsContexts tls) {
		this.handler = Objects.requireNonNull(handler, "handler");
		this.maxBodySize = maxBodySize;
		this.limits = Objects.requireNonNull(limits, "limits");
		this.maxConnections = maxConnections;
		this.ceiling = maxConnections;
		this.connections = connections;
		this.tls = tls;
	}

	/** Names the server in log lines, once its address is known. */
	public void bound(String description) {
		this.full = new OutageLog(logger, description);
		this.accepting = new OutageLog(logger, description);
	}

	TransportHandler handler() {
		return this.handler;
	}

	int maxBodySize() {
		return this.maxBodySize;
	}

	ConnectionLimits limits() {
		return this.limits;
	}

	ChannelGroup connections() {
		return this.connections;
	}

	boolean draining() {
		return this.draining;
	}

	/** How many connections are open now. */
	public int openConnections() {
		return this.open.get();
	}

	/**
	 * Counts a new connection, which starts idle. Beyond the limit the longest-idle other connection is closed.
	 * @return {@code false} when the server is full and no connection is idle: the new one must be closed
	 */
	boolean admit(ServerConnection connection) {
		int count = this.open.incrementAndGet();
		int limit = this.ceiling;
		ServerConnection victim = null;
		synchronized (this.idle) {
			this.idle.add(connection);
			if (count > limit) {
				for (ServerConnection candidate : this.idle) {
					if (candidate != connection) {
						victim = candidate;
						break;
					}
				}
				this.idle.remove((victim != null) ? victim : connection);
			}
		}
		if (count <= limit) {
			return true;
		}
		OutageLog log = this.full;
		if (log != null && limit == this.maxConnections) {
			log.failed(this.maxConnections + " connections are open (the limit); each new one closes the longest-idle"
					+ " connection, or is closed when none is idle", "holds its maximum of connections");
		}
		if (victim != null) {
			victim.evict();
			return true;
		}
		return false;
	}

	/** The connection has no request being read or handled: it becomes the most recently idle. */
	void idle(ServerConnection connection) {
		synchronized (this.idle) {
			this.idle.remove(connection);
			this.idle.add(connection);
		}
	}

	/** The connection is reading or handling a request. */
	void busy(ServerConnection connection) {
		synchronized (this.idle) {
			this.idle.remove(connection);
		}
	}

	/** The connection closed. */
	void removed(ServerConnection connection) {
		busy(connection);
		int count = this.open.decrementAndGet();
		OutageLog log = this.full;
		if (log != null && count <= this.maxConnections * 3L / 4 && log.isFailing()) {
			log.recovered("holds fewer connections than its maximum again");
		}
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

	/**
	 * The pipeline of an accepted connection: on a TLS server the TLS handler (with the certificates in force now),
	 * a watch on input for the read deadlines, the HTTP/1.1 codec and a {@link ServerConnection}.
	 */
	public ChannelInitializer<SocketChannel> initializer() {
		return new ChannelInitializer<>() {
			@Override
			protected void initChannel(SocketChannel ch) {
				HttpDecoderConfig config = new HttpDecoderConfig().setMaxInitialLineLength(MAX_INITIAL_LINE_LENGTH)
					.setMaxHeaderSize(MAX_HEADER_SIZE);
				ServerConnection connection = new ServerConnection(ServerContext.this);
				TlsContexts contexts = ServerContext.this.tls;
				if (contexts != null) {
					ch.pipeline().addLast("tls", new ServerTlsHandler(contexts.current(),
							GoDuration.saturatedNanos(ServerContext.this.limits.readHeaderTimeout()) / 1_000_000L));
				}
				ch.pipeline().addLast("input", connection.inputWatch());
				ch.pipeline().addLast("http", new HttpServerCodec(config));
				ch.pipeline().addLast("mucp", connection);
			}
		};
	}

	/**
	 * The handler of the listening channel: it takes accept failures (such as "Too many open files") instead of
	 * Netty's acceptor, which would log each one with its stack trace.
	 */
	public ChannelHandler acceptGuard() {
		return new AcceptGuard();
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

	/** An accepted socket: counted until it is closed; accepting pauses while too many wait to be closed. */
	private void accepted(Channel child) {
		int count = this.held.incrementAndGet();
		child.closeFuture().addListener((f) -> released());
		if (count > this.ceiling + CLOSE_BACKLOG) {
			Channel listening = this.listener;
			if (listening != null) {
				this.acceptPaused = true;
				listening.config().setAutoRead(false);
				if (this.held.get() <= this.ceiling) {
					resumeAccepting();
				}
			}
		}
	}

	private void released() {
		if (this.held.decrementAndGet() <= this.ceiling && this.acceptPaused) {
			resumeAccepting();
		}
	}

	private void resumeAccepting() {
		Channel listening = this.listener;
		if (listening != null && listening.isOpen()) {
			EventLoops.run(listening.eventLoop(), () -> {
				if (this.acceptPaused && this.held.get() <= this.ceiling) {
					this.acceptPaused = false;
					listening.config().setAutoRead(true);
				}
			});
		}
	}

	/** Closes up to {@code count} of the longest-idle connections. */
	private void shed(int count) {
		List<ServerConnection> victims = new ArrayList<>(count);
		synchronized (this.idle) {
			var it = this.idle.iterator();
			while (victims.size() < count && it.hasNext()) {
				victims.add(it.next());
				it.remove();
			}
		}
		victims.forEach(ServerConnection::evict);
	}

	private final class AcceptGuard extends ChannelInboundHandlerAdapter {

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			ServerContext.this.listener = ctx.channel();
			ctx.fireChannelActive();
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			OutageLog log = ServerContext.this.accepting;
			long now = System.nanoTime();
			if (log != null && log.isFailing()
					&& now - ServerContext.this.acceptCalmSince.get() > ACCEPT_QUIET_NANOS) {
				int current = ServerContext.this.ceiling;
				int raised = (int) Math.min(ServerContext.this.maxConnections,
						current + Math.max(SHED_ON_ACCEPT_FAILURE, current / 4L));
				ServerContext.this.ceiling = raised;
				ServerContext.this.acceptCalmSince.set(now);
				if (raised == ServerContext.this.maxConnections) {
					log.recovered("accepts connections again");
				}
			}
			if (msg instanceof Channel child) {
				accepted(child);
			}
			ctx.fireChannelRead(msg);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			if (!(cause instanceof IOException)) {
				ctx.fireExceptionCaught(cause);
				return;
			}
			ServerContext.this.acceptCalmSince.set(System.nanoTime());
			int open = ServerContext.this.open.get();
			int lowered = Math.max(1, Math.min(ServerContext.this.ceiling, open) - SHED_ON_ACCEPT_FAILURE);
			ServerContext.this.ceiling = lowered;
			OutageLog log = ServerContext.this.accepting;
			if (log != null) {
				log.failed(cause + "; holding at most " + lowered + " connections (each new one closes the "
						+ "longest-idle), pausing accepting for " + ACCEPT_PAUSE_MILLIS + " ms at each failure; the "
						+ "open connections are still served", "cannot accept connections");
			}
			shed(Math.max(SHED_ON_ACCEPT_FAILURE, open - lowered));
			Channel listening = ctx.channel();
			listening.config().setAutoRead(false);
			try {
				ctx.executor().schedule(() -> {
					if (listening.isOpen() && !ServerContext.this.acceptPaused) {
						listening.config().setAutoRead(true);
					}
				}, ACCEPT_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// shutting down
			}
		}

	}

}
