package io.micro4j.registry.consul.internal;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import io.micro4j.transport.TlsOptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK {@link HttpClient} that a call to the agent goes through: one fixed client, or one that follows a
 * {@code Supplier<TlsOptions>}. A following source asks the supplier before each call and builds a new client (a new
 * {@link SSLContext}, so new connections and no resumed sessions) only when it returns another instance (certificates
 * reloaded); calls in flight finish on the previous client. Options that cannot make a context after a reload are
 * logged once and the previous client stays in use. The JDK client always checks the agent certificate's host name.
 */
public final class HttpClients implements Supplier<HttpClient> {

	private static final Logger logger = LoggerFactory.getLogger(HttpClients.class);

	private record Built(@Nullable TlsOptions options, HttpClient client) {
	}

	private final @Nullable Supplier<TlsOptions> source;

	private final Duration connectTimeout;

	private final ExecutorService executor;

	private volatile Built last;

	private HttpClients(@Nullable Supplier<TlsOptions> source, Duration connectTimeout, ExecutorService executor,
			@Nullable SSLContext sslContext) {
		this.source = source;
		this.connectTimeout = connectTimeout;
		this.executor = executor;
		if (source != null) {
			TlsOptions options = Objects.requireNonNull(source.get(), "TLS options supplier returned null");
			this.last = new Built(options, build(options));
		}
		else {
			this.last = new Built(null, client(sslContext, null));
		}
	}

	/** One client, with {@code sslContext} for HTTPS ({@code null}: the JDK's default context). */
	public static HttpClients fixed(Duration connectTimeout, ExecutorService executor,
			@Nullable SSLContext sslContext) {
		return new HttpClients(null, connectTimeout, executor, sslContext);
	}

	/**
	 * Clients following {@code source}, the first built now.
	 * @throws IllegalArgumentException if the current options cannot make an SSL context or turn hostname
	 * verification off
	 */
	public static HttpClients following(Supplier<TlsOptions> source, Duration connectTimeout,
			ExecutorService executor) {
		return new HttpClients(Objects.requireNonNull(source, "source"), connectTimeout, executor, null);
	}

	/** The client for the next call. */
	@Override
	public HttpClient get() {
		Built built = this.last;
		if (this.source == null) {
			return built.client();
		}
		TlsOptions options = this.source.get();
		if (options == null || options == built.options()) {
			return built.client();
		}
		synchronized (this) {
			built = this.last;
			if (options != built.options()) {
				try {
					built = new Built(options, build(options));
				}
				catch (IllegalArgumentException ex) {
					logger.warn("New TLS settings of the Consul connection are not usable; keeping the previous "
							+ "ones: {}", ex.getMessage());
					built = new Built(options, built.client());
				}
				this.last = built;
			}
			return built.client();
		}
	}

	private HttpClient build(TlsOptions options) {
		if (!options.verifyHostname()) {
			throw new IllegalArgumentException("TLS settings of the Consul connection: hostname verification cannot "
					+ "be turned off (the JDK's HTTP client always checks that the agent's certificate names its "
					+ "host)");
		}
		try {
			KeyManager[] keys = options.keyManagerFactory().map(KeyManagerFactory::getKeyManagers).orElse(null);
			TrustManager[] trust = options.trustManagerFactory()
				.map(TrustManagerFactory::getTrustManagers)
				.orElse(null);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keys, trust, null);
			SSLParameters parameters = context.getDefaultSSLParameters();
			if (!options.protocols().isEmpty()) {
				parameters.setProtocols(options.protocols().toArray(String[]::new));
			}
			if (!options.ciphers().isEmpty()) {
				parameters.setCipherSuites(options.ciphers().toArray(String[]::new));
			}
			return client(context, parameters);
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			throw new IllegalArgumentException("TLS settings of the Consul connection cannot be used: "
					+ ex.getMessage(), ex);
		}
	}

	private HttpClient client(@Nullable SSLContext context, @Nullable SSLParameters parameters) {
		HttpClient.Builder builder = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(this.connectTimeout)
			.executor(this.executor);
		if (context != null) {
			builder.sslContext(context);
		}
		if (parameters != null) {
			builder.sslParameters(parameters);
		}
		return builder.build();
	}

}
