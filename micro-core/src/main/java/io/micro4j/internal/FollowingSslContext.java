package io.micro4j.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.Supplier;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import io.micro4j.transport.TlsOptions;
import org.jspecify.annotations.Nullable;

/**
 * A client {@link SSLContext} for libraries that take a JDK context once (jnats, the RabbitMQ Java client) but open
 * sockets again and again (reconnecting): every socket or engine it makes comes from the context of the
 * {@link TlsOptions} its supplier gives at that moment, so certificates reloaded after the library was configured
 * apply to its next connection, while open connections keep theirs. A JDK context is built only when the supplier
 * returns another instance.
 * <p>
 * Each client socket is configured from the options: hostname verification ({@code HTTPS} endpoint
 * identification, so an IP address must be an IP subject alternative name of the server's certificate), protocols
 * and cipher suites. Its {@link #getSocketFactory() socket factory} is the same object on every call and follows
 * the supplier too, for libraries that keep the factory rather than the context.
 */
public final class FollowingSslContext extends SSLContext {

	private final Spi spi;

	private FollowingSslContext(Spi spi, SSLContext first) {
		super(spi, first.getProvider(), first.getProtocol());
		this.spi = spi;
	}

	/**
	 * A context following {@code options}, asked once now (so bad options fail here) and again for every socket.
	 * @throws IllegalStateException when the options cannot make a context; the message says why
	 */
	public static FollowingSslContext client(Supplier<TlsOptions> options) {
		Spi spi = new Spi(options);
		return new FollowingSslContext(spi, spi.current().context());
	}

	/** Whether the options in force now present a client certificate (mTLS). */
	public boolean hasCertificate() {
		return this.spi.current().options().keyManagerFactory().isPresent();
	}

	/** The options in force now. */
	public TlsOptions options() {
		return this.spi.current().options();
	}

	private record Built(TlsOptions options, SSLContext context) {

		SSLSocket configure(Socket socket) {
			SSLSocket ssl = (SSLSocket) socket;
			ssl.setSSLParameters(parameters(ssl.getSSLParameters()));
			return ssl;
		}

		SSLEngine configure(SSLEngine engine) {
			engine.setUseClientMode(true);
			engine.setSSLParameters(parameters(engine.getSSLParameters()));
			return engine;
		}

		private SSLParameters parameters(SSLParameters parameters) {
			if (this.options.verifyHostname()) {
				parameters.setEndpointIdentificationAlgorithm("HTTPS");
			}
			if (!this.options.protocols().isEmpty()) {
				parameters.setProtocols(this.options.protocols().toArray(String[]::new));
			}
			if (!this.options.ciphers().isEmpty()) {
				parameters.setCipherSuites(this.options.ciphers().toArray(String[]::new));
			}
			return parameters;
		}

	}

	private static final class Spi extends SSLContextSpi {

		private final Supplier<TlsOptions> source;

		private final SocketFactory socketFactory = new SocketFactory(this);

		private volatile @Nullable Built last;

		Spi(Supplier<TlsOptions> source) {
			this.source = Objects.requireNonNull(source, "options");
		}

		Built current() {
			TlsOptions options = Objects.requireNonNull(this.source.get(), "TLS options supplier returned null");
			Built built = this.last;
			if (built != null && built.options() == options) {
				return built;
			}
			built = new Built(options, build(options));
			this.last = built;
			return built;
		}

		private static SSLContext build(TlsOptions options) {
			KeyManager[] keys = options.keyManagerFactory().map((factory) -> factory.getKeyManagers()).orElse(null);
			TrustManager[] trust = options.trustManagerFactory()
				.map((factory) -> factory.getTrustManagers())
				.orElse(null);
			try {
				SSLContext context = SSLContext.getInstance("TLS");
				context.init(keys, trust, null);
				return context;
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("invalid TLS settings: " + ex.getMessage(), ex);
			}
		}

		@Override
		protected void engineInit(KeyManager @Nullable [] km, TrustManager @Nullable [] tm,
				@Nullable SecureRandom sr) throws KeyManagementException {
			throw new KeyManagementException("a FollowingSslContext takes its keys from its TLS options");
		}

		@Override
		protected SSLSocketFactory engineGetSocketFactory() {
			return this.socketFactory;
		}

		@Override
		protected SSLServerSocketFactory engineGetServerSocketFactory() {
			throw new UnsupportedOperationException("a FollowingSslContext is for clients");
		}

		@Override
		protected SSLEngine engineCreateSSLEngine() {
			Built built = current();
			return built.configure(built.context().createSSLEngine());
		}

		@Override
		protected SSLEngine engineCreateSSLEngine(String host, int port) {
			Built built = current();
			return built.configure(built.context().createSSLEngine(host, port));
		}

		@Override
		protected SSLSessionContext engineGetServerSessionContext() {
			return current().context().getServerSessionContext();
		}

		@Override
		protected SSLSessionContext engineGetClientSessionContext() {
			return current().context().getClientSessionContext();
		}

		@Override
		protected SSLParameters engineGetDefaultSSLParameters() {
			Built built = current();
			return built.parameters(built.context().getDefaultSSLParameters());
		}

		@Override
		protected SSLParameters engineGetSupportedSSLParameters() {
			return current().context().getSupportedSSLParameters();
		}

	}

	/** Asks the options in force for each socket, and configures it from them. */
	private static final class SocketFactory extends SSLSocketFactory {

		private final Spi spi;

		SocketFactory(Spi spi) {
			this.spi = spi;
		}

		@Override
		public String[] getDefaultCipherSuites() {
			return this.spi.current().context().getSocketFactory().getDefaultCipherSuites();
		}

		@Override
		public String[] getSupportedCipherSuites() {
			return this.spi.current().context().getSocketFactory().getSupportedCipherSuites();
		}

		@Override
		public Socket createSocket() throws IOException {
			Built built = this.spi.current();
			return built.configure(built.context().getSocketFactory().createSocket());
		}

		@Override
		public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
			Built built = this.spi.current();
			return built.configure(built.context().getSocketFactory().createSocket(socket, host, port, autoClose));
		}

		@Override
		public Socket createSocket(String host, int port) throws IOException {
			Built built = this.spi.current();
			return built.configure(built.context().getSocketFactory().createSocket(host, port));
		}

		@Override
		public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
			Built built = this.spi.current();
			return built
				.configure(built.context().getSocketFactory().createSocket(host, port, localHost, localPort));
		}

		@Override
		public Socket createSocket(InetAddress host, int port) throws IOException {
			Built built = this.spi.current();
			return built.configure(built.context().getSocketFactory().createSocket(host, port));
		}

		@Override
		public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
				throws IOException {
			Built built = this.spi.current();
			return built
				.configure(built.context().getSocketFactory().createSocket(address, port, localAddress, localPort));
		}

	}

}
