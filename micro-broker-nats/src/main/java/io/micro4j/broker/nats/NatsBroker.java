package io.micro4j.broker.nats;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerCounters;
import io.micro4j.broker.BrokerException;
import io.micro4j.broker.BrokerHandler;
import io.micro4j.broker.ConnectionCheck;
import io.micro4j.broker.Envelope;
import io.micro4j.broker.Event;
import io.micro4j.broker.InvalidEnvelopeException;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.Subscription;
import io.micro4j.broker.internal.Handlers;
import io.micro4j.internal.Arguments;
import io.micro4j.internal.FollowingSslContext;
import io.micro4j.internal.OutageLog;
import io.micro4j.internal.Redaction;
import io.micro4j.transport.TlsOptions;
import io.micro4j.transport.http.internal.TlsFailures;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * go-micro's {@code nats} broker on jnats (NATS core). Named {@code nats}.
 * <p>
 * <b>Wire (go-micro's).</b> A message is published to the subject named by its topic, its payload go-micro's JSON
 * {@link Envelope} ({@code {"Header":{...},"Body":"<base64>"}}); a subscription without a queue is a plain NATS
 * subscription (every subscriber receives every message), one with a queue a NATS queue subscription (each message
 * goes to one member of the group). Go and Java services on the same NATS exchange messages both ways. A payload
 * that is not an envelope is logged (once per subscription, then at debug) and counted in
 * {@link #invalidMessages()}, and the subscription keeps receiving.
 * <p>
 * <b>Guarantees: at most once</b>, as NATS core is: nothing is stored; a message published while a subscriber is
 * disconnected, or dropped because a subscriber is too slow (jnats' pending limits, 512 Ki messages or 64 MiB per
 * subscription; a warning is logged), is lost for it. {@link Event#ack()} does nothing. While the connection is
 * down, jnats reconnects ({@link Builder#reconnectWait}, {@link Builder#maxReconnects}) and buffers what is
 * published meanwhile (8 MiB), re-subscribing on reconnect.
 * <p>
 * <b>Threads.</b> Each subscription has its own jnats dispatcher, hence its own thread: its handler is called there,
 * one message at a time in arrival order, so a slow or blocking handler delays only its own subscription, never
 * another one nor the connection's reader. A handler that throws is logged with the topic and {@code Micro-Id},
 * counted in {@link #failedDeliveries()}, and the subscription keeps receiving (no redelivery).
 * <p>
 * <b>TLS.</b> With {@link Builder#tls(Supplier)} the connection is TLS (the server must have a {@code tls} block),
 * from the {@link TlsOptions} the supplier gives when jnats connects or reconnects: a supplier that returns new
 * options after certificates were reloaded puts them into effect at the next reconnect, without a restart. The
 * server's certificate must be issued by a trusted CA and, by default, name the host dialled (an IP subject
 * alternative name for {@code 127.0.0.1}). A {@code tls://} URL without options trusts the JDK's CAs, hostname
 * verified; {@code opentls://} (jnats' trust-everything mode) is refused together with options. A failed handshake
 * says why (certificate expired, not issued by a trusted CA, not naming the host, a client certificate wanted or
 * refused), at connect as a {@link BrokerException}, while reconnecting as one WARN per outage. Credentials in the
 * URLs ({@code nats://user:pass@host}, {@code nats://token@host}) never appear in logs or messages.
 * <p>
 * {@link Builder#build()} connects, failing with {@link BrokerException} when no server answers.
 * {@link #subscribe} returns once the server has the subscription (a round trip), so a message published
 * afterwards reaches it. {@link #close()} (idempotent) drains: it stops the subscriptions, lets messages already
 * received be handled and flushes what was published, for up to {@link Builder#drainTimeout}, then closes the
 * connection; afterwards publishing and subscribing fail with {@link BrokerException}.
 */
public final class NatsBroker implements Broker, ConnectionCheck, BrokerCounters {

	/** go-micro's default server: {@value}. */
	public static final String DEFAULT_SERVER = "nats://127.0.0.1:4222";

	/** The default connect timeout: 2 seconds (jnats' default). */
	public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);

	/** The default wait between reconnect attempts: 2 seconds (jnats' default). */
	public static final Duration DEFAULT_RECONNECT_WAIT = Duration.ofSeconds(2);

	/** The default number of reconnect attempts: {@value}, forever. */
	public static final int DEFAULT_MAX_RECONNECTS = -1;

	/** The default bound on draining at close: 5 seconds. */
	public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(NatsBroker.class);

	private final List<String> servers;

	private final String displayAddress;

	private final @Nullable FollowingSslContext sslContext;

	private final OutageLog tlsOutage;

	private final AtomicReference<@Nullable Exception> lastFailure = new AtomicReference<>();

	private final Duration connectionTimeout;

	private final Duration drainTimeout;

	private final Connection connection;

	private final Set<NatsSubscription> subscriptions = ConcurrentHashMap.newKeySet();

	private final AtomicLong failedDeliveries = new AtomicLong();

	private final AtomicLong invalidMessages = new AtomicLong();

	private final AtomicBoolean closed = new AtomicBoolean();

	private NatsBroker(Builder builder) {
		this.servers = List.copyOf(builder.servers);
		this.displayAddress = String.join(",", this.servers.stream().map(Redaction::uri).toList());
		this.connectionTimeout = builder.connectionTimeout;
		this.drainTimeout = builder.drainTimeout;
		this.tlsOutage = new OutageLog(logger, "NATS broker at " + this.displayAddress);
		this.sslContext = sslContext(builder.tls, this.servers);
		Options.Builder options = new Options.Builder().servers(this.servers.toArray(new String[0]))
			.connectionTimeout(builder.connectionTimeout)
			.reconnectWait(builder.reconnectWait)
			.maxReconnects(builder.maxReconnects)
			.connectionListener(new Listener())
			.errorListener(new Errors());
		if (builder.connectionName != null) {
			options.connectionName(builder.connectionName);
		}
		if (this.sslContext != null) {
			options.sslContext(this.sslContext);
		}
		try {
			this.connection = Nats.connect(options.build());
		}
		catch (IOException | IllegalStateException ex) {
			String detail = "cannot connect to NATS at " + this.displayAddress + ": " + describe(ex);
			Throwable cause = safeCause(ex);
			throw (cause != null) ? new BrokerException(detail, cause) : new BrokerException(detail);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokerException("interrupted while connecting to NATS at " + this.displayAddress, ex);
		}
		logger.info("NATS broker connected to {}{}", connectedUrl(), (this.sslContext != null) ? " with TLS" : "");
	}

	/**
	 * The context following {@code tls}; without it, the JDK's defaults (hostname verified) for {@code tls://}
	 * URLs, and jnats' own handling for the rest.
	 */
	private static @Nullable FollowingSslContext sslContext(@Nullable Supplier<TlsOptions> tls,
			List<String> servers) {
		boolean open = servers.stream().anyMatch((server) -> server.regionMatches(true, 0, "opentls://", 0, 10));
		if (open && tls != null) {
			throw new IllegalArgumentException("servers: an opentls:// URL trusts every certificate, which TLS options "
					+ "with trusted CAs contradict (expected: tls:// or nats:// URLs with TLS options)");
		}
		if (open) {
			logger.warn("NATS broker uses opentls://: the server's certificate is not verified");
			return null;
		}
		if (tls == null && servers.stream().anyMatch((server) -> server.regionMatches(true, 0, "tls://", 0, 6))) {
			tls = TlsOptions::defaults;
		}
		return (tls != null) ? FollowingSslContext.client(tls) : null;
	}

	/** Why connecting failed: the TLS handshake's failure in words when there was one, else jnats' message. */
	private String describe(Exception ex) {
		Exception last = this.lastFailure.get();
		for (Throwable failure : new Throwable[] { last, ex }) {
			String tls = (failure != null) ? tlsProblem(failure) : null;
			if (tls != null) {
				return tls;
			}
		}
		String message = (last != null) ? last.toString() : ex.getMessage();
		return redact(String.valueOf(message));
	}

	/**
	 * What went wrong with TLS in {@code failure}, or {@code null}. A server that refuses the client's certificate
	 * under TLS 1.3 does so after the client finished its handshake, and jnats then times out waiting for the
	 * handshake to complete: such a timeout says what it may mean.
	 */
	private @Nullable String tlsProblem(Throwable failure) {
		FollowingSslContext context = this.sslContext;
		if (context == null) {
			return null;
		}
		String host = this.displayAddress.replaceAll("[a-z]+://(\\*\\*\\*@)?", "").replaceAll(":\\d+", "");
		if (TlsFailures.tlsCause(failure) != null) {
			return "TLS handshake failed: " + redact(TlsFailures.describe(failure, host, context.hasCertificate()));
		}
		for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof TimeoutException) {
				return "TLS handshake did not complete within " + this.connectionTimeout + " ("
						+ (context.hasCertificate() ? "the server may have refused this client's certificate"
								: "the server may require a client certificate, and this client has none")
						+ ")";
			}
		}
		return null;
	}

	/**
	 * The cause to attach: the TLS failure when there was one, else jnats' exception, unless its message names
	 * URLs with credentials; then the last failure jnats reported, or none.
	 */
	private @Nullable Throwable safeCause(Exception ex) {
		Exception last = this.lastFailure.get();
		if (last != null && tlsProblem(last) != null && isFreeOfSecrets(last)) {
			return last;
		}
		if (isFreeOfSecrets(ex)) {
			return ex;
		}
		return (last != null && isFreeOfSecrets(last)) ? last : null;
	}

	private boolean isFreeOfSecrets(Throwable failure) {
		for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			String message = String.valueOf(cause.getMessage());
			if (!redact(message).equals(message)) {
				return false;
			}
		}
		return true;
	}

	/** {@code text} without the URLs' credentials. */
	private String redact(String text) {
		return Redaction.text(text, this.servers);
	}

	private String connectedUrl() {
		String url = this.connection.getConnectedUrl();
		return (url != null) ? redact(Redaction.uri(url)) : this.displayAddress;
	}

	/** A builder with go-micro's default server {@value #DEFAULT_SERVER}. */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public String name() {
		return "nats";
	}

	/** The server URLs, comma separated, their user info (user, password, token) replaced by {@code ***}. */
	@Override
	public String address() {
		return this.displayAddress;
	}

	/**
	 * Publishes {@code message} as go-micro's envelope on subject {@code topic}. Returns when jnats has buffered it
	 * (it writes in the background); without subscribers NATS drops it.
	 * @throws BrokerException if the broker is closed, the topic is not a valid subject, or the envelope is larger
	 * than the server's maximum payload
	 */
	@Override
	public void publish(String topic, Message message) {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(message, "message");
		ensureOpen();
		try {
			this.connection.publish(topic, Envelope.encode(message));
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			throw new BrokerException("cannot publish to " + topic + " on NATS: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Subscribes {@code handler} to subject {@code topic} (NATS wildcards work), as a queue subscription when
	 * {@code options} names a queue; returns once the server confirmed it, or after the connection timeout while
	 * disconnected (jnats subscribes when it reconnects).
	 * @throws BrokerException if the broker is closed or the topic or queue is not valid in NATS
	 */
	@Override
	public Subscription subscribe(String topic, BrokerHandler handler, SubscribeOptions options) {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(handler, "handler");
		Objects.requireNonNull(options, "options");
		ensureOpen();
		NatsSubscription subscription = new NatsSubscription(topic, options.queue(), handler);
		try {
			Dispatcher dispatcher = this.connection.createDispatcher(subscription::onMessage);
			subscription.dispatcher = dispatcher;
			if (options.queue() != null) {
				dispatcher.subscribe(topic, options.queue());
			}
			else {
				dispatcher.subscribe(topic);
			}
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			subscription.close();
			throw new BrokerException("cannot subscribe to " + topic + " on NATS: " + ex.getMessage(), ex);
		}
		this.subscriptions.add(subscription);
		try {
			this.connection.flush(this.connectionTimeout);
		}
		catch (TimeoutException | IllegalStateException ex) {
			logger.debug("NATS did not confirm the subscription to {} in time; it takes effect when connected", topic);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return subscription;
	}

	/** How many received messages ended with the handler throwing, since the broker was created. */
	public long failedDeliveries() {
		return this.failedDeliveries.get();
	}

	/** How many received payloads were not go-micro envelopes, since the broker was created. */
	public long invalidMessages() {
		return this.invalidMessages.get();
	}

	/**
	 * The counters {@value BrokerCounters#DELIVERIES_FAILED} ({@link #failedDeliveries()}) and
	 * {@value BrokerCounters#MESSAGES_INVALID} ({@link #invalidMessages()}).
	 */
	@Override
	public Map<String, LongSupplier> counters() {
		return Map.of(DELIVERIES_FAILED, this.failedDeliveries::get, MESSAGES_INVALID, this.invalidMessages::get);
	}

	/** Whether the connection to NATS is up now: {@code false} while jnats reconnects and after close. */
	@Override
	public boolean isConnected() {
		return this.connection.getStatus() == Connection.Status.CONNECTED;
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		List<NatsSubscription> active = new ArrayList<>(this.subscriptions);
		active.forEach(subscription -> subscription.stopped = true);
		this.subscriptions.clear();
		try {
			if (this.connection.getStatus() == Connection.Status.CONNECTED) {
				if (!this.connection.drain(this.drainTimeout).get(this.drainTimeout.toMillis() + 1000,
						TimeUnit.MILLISECONDS)) {
					logger.warn("NATS broker closed before draining finished within {}", this.drainTimeout);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.debug("NATS broker could not drain: {}", ex.toString());
		}
		try {
			this.connection.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "NatsBroker[" + this.displayAddress + "]";
	}

	private void ensureOpen() {
		if (this.closed.get()) {
			throw new BrokerException("nats broker is closed");
		}
	}

	private record NatsEvent(String topic, Message message) implements Event {

		@Override
		public void ack() {
		}

	}

	private final class NatsSubscription implements Subscription {

		private final String topic;

		private final @Nullable String queue;

		private final BrokerHandler handler;

		private final AtomicBoolean invalidLogged = new AtomicBoolean();

		private volatile @Nullable Dispatcher dispatcher;

		private volatile boolean stopped;

		NatsSubscription(String topic, @Nullable String queue, BrokerHandler handler) {
			this.topic = topic;
			this.queue = queue;
			this.handler = handler;
		}

		@Override
		public String topic() {
			return this.topic;
		}

		@Override
		public Optional<String> queue() {
			return Optional.ofNullable(this.queue);
		}

		/** On this subscription's dispatcher thread. */
		void onMessage(io.nats.client.Message received) {
			if (this.stopped) {
				return;
			}
			Message message;
			try {
				message = Envelope.decode(received.getData());
			}
			catch (InvalidEnvelopeException ex) {
				NatsBroker.this.invalidMessages.incrementAndGet();
				if (this.invalidLogged.compareAndSet(false, true)) {
					logger.warn("Dropped a NATS message on {} that is not a go-micro envelope: {} (logged once per "
							+ "subscription)", received.getSubject(), ex.detail());
				}
				else {
					logger.debug("Dropped a NATS message on {}: {}", received.getSubject(), ex.detail());
				}
				return;
			}
			if (!Handlers.deliver(this.handler, new NatsEvent(received.getSubject(), message), logger)) {
				NatsBroker.this.failedDeliveries.incrementAndGet();
			}
		}

		@Override
		public void close() {
			if (this.stopped && this.dispatcher == null) {
				return;
			}
			this.stopped = true;
			NatsBroker.this.subscriptions.remove(this);
			Dispatcher current = this.dispatcher;
			this.dispatcher = null;
			if (current != null) {
				try {
					NatsBroker.this.connection.closeDispatcher(current);
				}
				catch (IllegalStateException ex) {
					// the connection is closed: the subscription is gone with it
				}
			}
		}

	}

	/** Logs connection changes. */
	private final class Listener implements ConnectionListener {

		@Override
		public void connectionEvent(Connection conn, Events type) {
			switch (type) {
				case DISCONNECTED -> {
					if (!NatsBroker.this.closed.get()) {
						logger.warn("NATS broker disconnected from {}; reconnecting", address());
					}
				}
				case RECONNECTED -> {
					NatsBroker.this.tlsOutage.recovered("reconnected");
					logger.info("NATS broker reconnected to {}", connectedUrl());
				}
				default -> logger.debug("NATS connection event: {}", type);
			}
		}

	}

	/** Logs what jnats reports asynchronously; a failed TLS handshake once per outage. */
	private final class Errors implements ErrorListener {

		private final Set<Consumer> slow = ConcurrentHashMap.newKeySet();

		@Override
		public void errorOccurred(Connection conn, String error) {
			logger.warn("NATS server error: {}", redact(error));
		}

		@Override
		public void exceptionOccurred(Connection conn, Exception exp) {
			NatsBroker.this.lastFailure.set(exp);
			String tls = tlsProblem(exp);
			if (tls != null) {
				NatsBroker.this.tlsOutage.failed(tls, "cannot connect");
			}
			logger.debug("NATS connection exception: {}", redact(exp.toString()));
		}

		@Override
		public void slowConsumerDetected(Connection conn, Consumer consumer) {
			if (this.slow.add(consumer)) {
				logger.warn("A NATS subscription is too slow: messages beyond its pending limit are dropped "
						+ "(at most once)");
			}
		}

	}

	/** Builds a {@link NatsBroker}; each option is checked when set. */
	public static final class Builder {

		private List<String> servers = List.of(DEFAULT_SERVER);

		private @Nullable String connectionName;

		private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;

		private Duration reconnectWait = DEFAULT_RECONNECT_WAIT;

		private int maxReconnects = DEFAULT_MAX_RECONNECTS;

		private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

		private @Nullable Supplier<TlsOptions> tls;

		private Builder() {
		}

		/**
		 * The server URLs ({@code nats://host:port}; a bare {@code host:port} works too), {@value #DEFAULT_SERVER}
		 * by default.
		 * @throws IllegalArgumentException when empty or one is blank
		 */
		public Builder servers(String... servers) {
			return servers(List.of(servers));
		}

		/**
		 * The server URLs, as {@link #servers(String...)}.
		 * @throws IllegalArgumentException when empty or one is blank
		 */
		public Builder servers(List<String> servers) {
			Objects.requireNonNull(servers, "servers");
			if (servers.isEmpty() || servers.stream().anyMatch(server -> server == null || server.isBlank())) {
				throw new IllegalArgumentException("servers: " + servers + " (expected: at least one URL, none blank)");
			}
			this.servers = servers.stream().map(String::trim).toList();
			return this;
		}

		/** The connection name the server shows (e.g. the service name); none by default. */
		public Builder connectionName(@Nullable String connectionName) {
			this.connectionName = (connectionName != null && !connectionName.isBlank()) ? connectionName : null;
			return this;
		}

		/**
		 * The timeout of connecting to a server and of confirming a subscription, 2 seconds by default.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder connectionTimeout(Duration connectionTimeout) {
			this.connectionTimeout = Arguments.positive("connectionTimeout", connectionTimeout);
			return this;
		}

		/**
		 * The wait between reconnect attempts, 2 seconds by default.
		 * @throws IllegalArgumentException when negative
		 */
		public Builder reconnectWait(Duration reconnectWait) {
			this.reconnectWait = Arguments.nonNegative("reconnectWait", reconnectWait);
			return this;
		}

		/**
		 * How many times to try reconnecting before giving up, {@code -1} (default) for ever, {@code 0} never.
		 * @throws IllegalArgumentException when below -1
		 */
		public Builder maxReconnects(int maxReconnects) {
			if (maxReconnects < -1) {
				throw new IllegalArgumentException("maxReconnects: " + maxReconnects + " (expected: >= -1)");
			}
			this.maxReconnects = maxReconnects;
			return this;
		}

		/**
		 * The bound on draining at close, 5 seconds by default.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder drainTimeout(Duration drainTimeout) {
			this.drainTimeout = Arguments.positive("drainTimeout", drainTimeout);
			return this;
		}

		/**
		 * Connects with TLS, from the options {@code tls} gives each time jnats connects or reconnects (the trusted
		 * CAs, a client certificate for servers with {@code verify: true}, hostname verification, protocols and
		 * cipher suites); {@code null} (default): plaintext, unless a server URL is {@code tls://}.
		 */
		public Builder tls(@Nullable Supplier<TlsOptions> tls) {
			this.tls = tls;
			return this;
		}

		/**
		 * Connects and returns the broker.
		 * @throws BrokerException when no server can be reached, or the TLS handshake fails (the message says why)
		 * @throws IllegalArgumentException when TLS options are given with an {@code opentls://} URL
		 * @throws IllegalStateException when the TLS options cannot make a TLS context
		 */
		public NatsBroker build() {
			return new NatsBroker(this);
		}

	}

}
