package io.micro4j.grpc;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import io.micro4j.registry.Node;
import io.micro4j.transport.TlsOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

/**
 * What gRPC asks of TLS beyond mucp's: HTTP/2 over TLS with ALPN {@code h2} (grpc-java and grpc-go refuse
 * connections that did not negotiate it) and HTTP/2's cipher suites; the key {@code secure=true} of TLS nodes; and
 * a server context that follows reloaded certificates, since grpc-java's server holds one context for its life.
 */
final class GrpcTls {

	/** The node metadata key of TLS nodes, as for mucp nodes and go-micro's http broker. */
	static final String SECURE = "secure";

	private static final ApplicationProtocolConfig ALPN_H2 = new ApplicationProtocolConfig(
			ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
			ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2);

	private GrpcTls() {
	}

	/** Whether {@code node} is dialled with TLS: its metadata says {@code secure=true}. */
	static boolean isSecure(Node node) {
		return "true".equalsIgnoreCase(node.metadata().get(SECURE));
	}

	/** gRPC's node metadata ({@code protocol}, {@code server}, {@code transport}), with {@code secure=true} for TLS. */
	static Map<String, String> nodeMetadata(boolean secure) {
		if (!secure) {
			return GrpcTransportServer.NODE_METADATA;
		}
		Map<String, String> metadata = new LinkedHashMap<>(GrpcTransportServer.NODE_METADATA);
		metadata.put(SECURE, "true");
		return Map.copyOf(metadata);
	}

	/** Server contexts: ALPN {@code h2}, HTTP/2's cipher suites (unless the options name their own). */
	static void server(SslContextBuilder builder, TlsOptions options) {
		builder.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE).applicationProtocolConfig(ALPN_H2);
	}

	/**
	 * Client contexts: as {@link #server}, and with hostname verification off, a trust manager that checks the chain
	 * only, since grpc-java's TLS handler asks every engine for hostname verification.
	 */
	static void client(SslContextBuilder builder, TlsOptions options) {
		server(builder, options);
		if (!options.verifyHostname()) {
			builder.trustManager(new ChainOnlyTrustManager(x509TrustManager(options)));
		}
	}

	private static X509TrustManager x509TrustManager(TlsOptions options) {
		try {
			TrustManagerFactory factory = options.trustManagerFactory().orElse(null);
			if (factory == null) {
				factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
				factory.init((KeyStore) null);
			}
			for (TrustManager manager : factory.getTrustManagers()) {
				if (manager instanceof X509TrustManager x509) {
					return x509;
				}
			}
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("invalid TLS settings: " + ex.getMessage(), ex);
		}
		throw new IllegalStateException("invalid TLS settings: the trust store gives no X.509 trust manager");
	}

	/**
	 * The context {@code current} gives now, for each new connection: a grpc-java server keeps the context it was
	 * built with, this one hands out engines of the context in force (reloaded certificates for new handshakes).
	 */
	static SslContext following(Supplier<SslContext> current) {
		return new FollowingSslContext(current);
	}

	private static final class FollowingSslContext extends SslContext {

		private final Supplier<SslContext> current;

		FollowingSslContext(Supplier<SslContext> current) {
			this.current = current;
		}

		@Override
		public boolean isClient() {
			return this.current.get().isClient();
		}

		@Override
		public List<String> cipherSuites() {
			return this.current.get().cipherSuites();
		}

		@Override
		@SuppressWarnings("deprecation")
		public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
			return this.current.get().applicationProtocolNegotiator();
		}

		@Override
		public SSLEngine newEngine(ByteBufAllocator alloc) {
			return this.current.get().newEngine(alloc);
		}

		@Override
		public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
			return this.current.get().newEngine(alloc, peerHost, peerPort);
		}

		@Override
		public SSLSessionContext sessionContext() {
			return this.current.get().sessionContext();
		}

	}

	/** Checks the server's chain against the trusted CAs, not whether the certificate names the dialled host. */
	private static final class ChainOnlyTrustManager extends X509ExtendedTrustManager {

		private final X509TrustManager delegate;

		ChainOnlyTrustManager(X509TrustManager delegate) {
			this.delegate = delegate;
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			this.delegate.checkServerTrusted(chain, authType);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			this.delegate.checkServerTrusted(chain, authType);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			this.delegate.checkServerTrusted(chain, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			this.delegate.checkClientTrusted(chain, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			this.delegate.checkClientTrusted(chain, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			this.delegate.checkClientTrusted(chain, authType);
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return this.delegate.getAcceptedIssuers();
		}

	}

}
