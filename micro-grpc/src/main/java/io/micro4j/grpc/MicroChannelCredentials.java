package io.micro4j.grpc;

import java.util.Objects;
import java.util.function.Supplier;

import io.grpc.ChannelCredentials;
import io.grpc.ChannelLogger;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.InternalNettyChannelCredentials;
import io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.InternalProtocolNegotiators;
import io.micro4j.registry.Node;
import io.micro4j.transport.TlsOptions;
import io.micro4j.transport.http.internal.HostPort;
import io.micro4j.transport.http.internal.TlsContexts;
import io.micro4j.transport.http.internal.TlsFailures;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import org.jspecify.annotations.Nullable;

/**
 * Channel credentials for {@code micro:///<service>} channels that choose per node, as the micro client does: a
 * connection to a node whose registry record says {@code secure=true} is HTTP/2 over TLS (ALPN {@code h2}), with the
 * certificate checked against the node's registered address (unless the options turn hostname verification off);
 * a connection to any other node is plaintext. So one channel calls a fleet that moves to TLS node by node.
 * <p>
 * The TLS options are read for each new connection: a supplier that returns new options after the certificates were
 * reloaded applies them to new connections (subchannels), while open ones keep theirs. Works with grpc-java's Netty
 * transport ({@code grpc-netty}), on whose negotiation API it builds; targets other than {@code micro:///} get
 * plaintext.
 * <p>
 * A failed handshake leaves that node's connection in {@code TRANSIENT_FAILURE} with status {@code UNAVAILABLE} and
 * a description that says what was wrong, as micro4j's {@code TlsHandshakeException} does (expired certificate, a
 * certificate that does not name the address, an unknown CA, a missing or refused client certificate, a node that
 * does not speak TLS); calls go to the nodes that connected, and fail with that status when none did.
 */
public final class MicroChannelCredentials {

	private MicroChannelCredentials() {
	}

	/** Credentials that dial {@code secure=true} nodes with the TLS options {@code tls} gives, others in plaintext. */
	public static ChannelCredentials create(Supplier<TlsOptions> tls) {
		TlsContexts contexts = TlsContexts.forClient(Objects.requireNonNull(tls, "tls"), GrpcTls::client);
		return InternalNettyChannelCredentials.create(new Factory(contexts));
	}

	private record Factory(TlsContexts contexts) implements InternalProtocolNegotiator.ClientFactory {

		@Override
		public InternalProtocolNegotiator.ProtocolNegotiator newNegotiator() {
			return new PerNode(this.contexts);
		}

		@Override
		public int getDefaultPort() {
			return 443;
		}

	}

	/** TLS for the connections to secure nodes, plaintext for the others. */
	private static final class PerNode implements InternalProtocolNegotiator.ProtocolNegotiator {

		private static final AsciiString HTTPS = AsciiString.of("https");

		private final TlsContexts contexts;

		private final InternalProtocolNegotiator.ProtocolNegotiator plaintext = InternalProtocolNegotiators.plaintext();

		PerNode(TlsContexts contexts) {
			this.contexts = contexts;
		}

		/** One scheme per channel in grpc-java; servers do not tell TLS apart by it. */
		@Override
		public AsciiString scheme() {
			return HTTPS;
		}

		@Override
		public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
			Node node = grpcHandler.getEagAttributes().get(MicroNameResolver.NODE);
			if (node == null || !GrpcTls.isSecure(node)) {
				return this.plaintext.newHandler(grpcHandler);
			}
			ChannelLogger logger = grpcHandler.getNegotiationLogger();
			// the registered address is what the certificate must name, not the channel's authority (the service)
			ChannelHandler tls = InternalProtocolNegotiators.clientTlsHandler(
					InternalProtocolNegotiators.grpcNegotiationHandler(grpcHandler), this.contexts.current(),
					node.address(), logger);
			return new DescribedFailures(InternalProtocolNegotiators.waitUntilActiveHandler(tls, logger),
					node.address(), this.contexts.hasCertificate());
		}

		@Override
		public void close() {
			this.plaintext.close();
		}

	}

	/**
	 * Turns the TLS failures of a connection into an {@code UNAVAILABLE} status that says what was wrong (grpc-java
	 * would say "ssl exception"). One instance installs the negotiation handlers before itself and sees the failures
	 * of the handshake; when the connection is active it puts a second one right after the TLS handler, ahead of
	 * grpc-java's HTTP/2 handler, for a client certificate refused after a TLS 1.3 handshake.
	 */
	private static final class DescribedFailures extends ChannelInboundHandlerAdapter {

		private final @Nullable ChannelHandler negotiation;

		private final String address;

		private final boolean hasCertificate;

		DescribedFailures(@Nullable ChannelHandler negotiation, String address, boolean hasCertificate) {
			this.negotiation = negotiation;
			this.address = address;
			this.hasCertificate = hasCertificate;
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			if (this.negotiation != null) {
				ctx.pipeline().addBefore(ctx.name(), null, this.negotiation);
			}
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) throws Exception {
			ChannelHandlerContext tls = ctx.pipeline().context(SslHandler.class);
			if (this.negotiation != null && tls != null) {
				ctx.pipeline().addAfter(tls.name(), null, new DescribedFailures(null, this.address, this.hasCertificate));
			}
			super.channelActive(ctx);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			Throwable tls = TlsFailures.tlsCause(cause);
			if (tls == null || cause instanceof StatusRuntimeException) {
				ctx.fireExceptionCaught(cause);
				return;
			}
			ctx.fireExceptionCaught(Status.UNAVAILABLE
				.withDescription("dial " + this.address + ": TLS handshake failed: "
						+ TlsFailures.describe(tls, HostPort.parse(this.address).host(), this.hasCertificate))
				.withCause(tls)
				.asRuntimeException());
		}

	}

}
