package io.micro4j.registry.etcd.internal;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;

import io.grpc.netty.GrpcSslContexts;
import io.micro4j.transport.TlsOptions;
import io.micro4j.transport.http.internal.TlsContexts;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client {@link SslContext} of jetcd's gRPC channel, following a {@code Supplier<TlsOptions>}: every new
 * connection asks the supplier for the options in force and gets an engine of a Netty context built from them
 * (gRPC's ALPN settings, the options' certificate, CAs, protocols and cipher suites). The context is rebuilt only
 * when the supplier returns another instance (certificates reloaded), so new connections use the new certificates and
 * open ones keep theirs. Options that cannot make a context after a reload are logged once and the previous context
 * stays in use. gRPC always checks the server certificate's host name.
 */
public final class FollowingSslContext extends SslContext {

	private static final Logger logger = LoggerFactory.getLogger(FollowingSslContext.class);

	private record Built(TlsOptions options, SslContext context) {
	}

	private final Supplier<TlsOptions> source;

	private volatile Built last;

	/**
	 * A context following {@code source}, built now from its current options.
	 * @throws IllegalArgumentException if those options cannot make a client context, or turn hostname
	 * verification off (gRPC cannot)
	 */
	public FollowingSslContext(Supplier<TlsOptions> source) {
		this.source = Objects.requireNonNull(source, "source");
		TlsOptions options = Objects.requireNonNull(source.get(), "TLS options supplier returned null");
		this.last = new Built(options, build(options));
	}

	/** The context for a new connection: rebuilt when the supplier gives new options. */
	SslContext current() {
		Built built = this.last;
		TlsOptions options = this.source.get();
		if (options == null || options == built.options()) {
			return built.context();
		}
		synchronized (this) {
			built = this.last;
			if (options == built.options()) {
				return built.context();
			}
			try {
				built = new Built(options, build(options));
			}
			catch (IllegalArgumentException ex) {
				logger.warn("New TLS settings of the etcd connection are not usable; keeping the previous ones: {}",
						ex.getMessage());
				built = new Built(options, built.context());
			}
			this.last = built;
			return built.context();
		}
	}

	private static SslContext build(TlsOptions options) {
		if (!options.verifyHostname()) {
			throw new IllegalArgumentException("TLS settings of the etcd connection: hostname verification cannot be "
					+ "turned off (gRPC always checks that etcd's certificate names the endpoint's host)");
		}
		SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK);
		options.keyManagerFactory().ifPresent(builder::keyManager);
		TlsContexts.applyTrustAndSuites(builder, options);
		try {
			return builder.build();
		}
		catch (SSLException | RuntimeException ex) {
			throw new IllegalArgumentException("TLS settings of the etcd connection cannot be used: " + ex.getMessage(),
					ex);
		}
	}

	@Override
	public boolean isClient() {
		return true;
	}

	@Override
	public List<String> cipherSuites() {
		return current().cipherSuites();
	}

	@Override
	public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
		return current().applicationProtocolNegotiator();
	}

	@Override
	public SSLEngine newEngine(ByteBufAllocator alloc) {
		return current().newEngine(alloc);
	}

	@Override
	public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
		return current().newEngine(alloc, peerHost, peerPort);
	}

	@Override
	public SSLSessionContext sessionContext() {
		return current().sessionContext();
	}

}
