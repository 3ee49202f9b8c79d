package io.micro4j.transport.http.internal;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import io.micro4j.transport.TlsOptions;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.jspecify.annotations.Nullable;

/**
 * The Netty {@link SslContext} of one side of a transport, built from the {@link TlsOptions} its supplier gives now.
 * The supplier is asked for each new connection; the context is rebuilt only when it returns another instance (the
 * certificates were reloaded), so open connections keep theirs and new ones use the new certificates.
 */
public final class TlsContexts {

	private record Built(TlsOptions options, SslContext context) {
	}

	private final Supplier<TlsOptions> source;

	private final boolean server;

	private final BiConsumer<SslContextBuilder, TlsOptions> customizer;

	private volatile @Nullable Built last;

	private TlsContexts(Supplier<TlsOptions> source, boolean server,
			BiConsumer<SslContextBuilder, TlsOptions> customizer) {
		this.source = Objects.requireNonNull(source, "source");
		this.server = server;
		this.customizer = Objects.requireNonNull(customizer, "customizer");
	}

	/** Server contexts from {@code source}; its options must hold a certificate. */
	public static TlsContexts forServer(Supplier<TlsOptions> source) {
		return forServer(source, (builder, options) -> {
		});
	}

	/**
	 * Server contexts from {@code source}, each builder passed to {@code customizer} before the options' protocols
	 * and cipher suites apply (a transport's application protocols, for instance).
	 */
	public static TlsContexts forServer(Supplier<TlsOptions> source,
			BiConsumer<SslContextBuilder, TlsOptions> customizer) {
		return new TlsContexts(source, true, customizer);
	}

	/** Client contexts from {@code source}. */
	public static TlsContexts forClient(Supplier<TlsOptions> source) {
		return forClient(source, (builder, options) -> {
		});
	}

	/** Client contexts from {@code source}, customized as {@link #forServer(Supplier, BiConsumer)} says. */
	public static TlsContexts forClient(Supplier<TlsOptions> source,
			BiConsumer<SslContextBuilder, TlsOptions> customizer) {
		return new TlsContexts(source, false, customizer);
	}

	/** Whether the options in force hold a certificate to present (a client's, for mTLS). */
	public boolean hasCertificate() {
		Built built = this.last;
		return built != null && built.options().keyManagerFactory().isPresent();
	}

	/**
	 * The context for a new connection.
	 * @throws IllegalStateException when the options cannot make a context (a server without a certificate, a
	 * protocol or cipher the JDK does not know); the message says why
	 */
	public SslContext current() {
		TlsOptions options = Objects.requireNonNull(this.source.get(), "TLS options supplier returned null");
		Built built = this.last;
		if (built != null && built.options() == options) {
			return built.context();
		}
		SslContext context = build(options);
		this.last = new Built(options, context);
		return context;
	}

	/**
	 * Applies the CAs, protocols and cipher suites of {@code options} to {@code builder} (each only when set).
	 * @return {@code builder}
	 */
	public static SslContextBuilder applyTrustAndSuites(SslContextBuilder builder, TlsOptions options) {
		options.trustManagerFactory().ifPresent(builder::trustManager);
		if (!options.protocols().isEmpty()) {
			builder.protocols(options.protocols());
		}
		if (!options.ciphers().isEmpty()) {
			builder.ciphers(options.ciphers());
		}
		return builder;
	}

	private SslContext build(TlsOptions options) {
		SslContextBuilder builder;
		if (this.server) {
			builder = SslContextBuilder.forServer(options.keyManagerFactory()
				.orElseThrow(() -> new IllegalStateException("invalid TLS settings: a TLS server needs a certificate "
						+ "and its private key (a key store)")));
			builder.clientAuth(switch (options.clientAuth()) {
				case NONE -> ClientAuth.NONE;
				case WANT -> ClientAuth.OPTIONAL;
				case NEED -> ClientAuth.REQUIRE;
			});
		}
		else {
			builder = SslContextBuilder.forClient();
			options.keyManagerFactory().ifPresent(builder::keyManager);
			builder.endpointIdentificationAlgorithm(options.verifyHostname() ? "HTTPS" : null);
		}
		this.customizer.accept(builder, options);
		applyTrustAndSuites(builder, options);
		try {
			return builder.sslProvider(SslProvider.JDK).build();
		}
		catch (SSLException | IllegalArgumentException ex) {
			throw new IllegalStateException("invalid TLS settings: " + ex.getMessage(), ex);
		}
	}

}
