package io.micro4j.broker.rabbitmq;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import com.rabbitmq.client.impl.recovery.RecordedBinding;
import com.rabbitmq.client.impl.recovery.RecordedExchange;
import com.rabbitmq.client.impl.recovery.RecordedQueue;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryFilter;
import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerCounters;
import io.micro4j.broker.BrokerException;
import io.micro4j.broker.BrokerHandler;
import io.micro4j.broker.Event;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.Subscription;
import io.micro4j.internal.Arguments;
import io.micro4j.internal.FollowingSslContext;
import io.micro4j.internal.Redaction;
import io.micro4j.metadata.Metadata;
import io.micro4j.transport.TlsOptions;
import io.micro4j.transport.http.internal.TlsFailures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Broker} named {@code rabbitmq} on RabbitMQ, speaking go-micro's RabbitMQ broker wire: messages are
 * published to the exchange {@value #DEFAULT_EXCHANGE} (type {@code topic}) with the topic as routing key, the body
 * raw and every header a string in the AMQP header table ({@code Content-Type} also in the AMQP
 * {@code content-type} property). Go and Java publishers and subscribers share topics and queue groups.
 * <p>
 * <b>Queues.</b> A subscription without a queue consumes from its own server-named, exclusive, auto-delete queue
 * (every subscriber receives every message). A subscription with a queue consumes from the queue of that name,
 * bound to the topic; subscribers of one queue compete, so each message goes to one of them. The named queue is
 * auto-delete and transient unless {@link Builder#durableQueue(boolean) durableQueue}, in which case it outlives
 * its consumers and keeps messages while they are away. The queue name is the AMQP queue name as is (as in
 * go-micro): use one name per topic, since one queue bound to two topics feeds both subscriptions' handlers.
 * <p>
 * <b>Guarantees</b>, per configuration:
 * <ul>
 * <li>Default (go-micro's): AMQP auto-ack. A message counts as delivered when RabbitMQ sends it: a handler that
 * fails or a consumer that crashes loses it. <b>At most once.</b></li>
 * <li>{@link Builder#ackOnSuccess(boolean) ackOnSuccess}: the message is acknowledged after the handler returns;
 * a handler exception rejects it, requeued when {@link Builder#requeueOnError(boolean) requeueOnError} (the
 * default here; go-micro's default is not to requeue); a crashed consumer's unacknowledged messages go back to the
 * queue. With {@link Builder#durableQueue(boolean) durableQueue}, {@link Builder#persistent(boolean) persistent}
 * delivery (mode 2) and {@link Builder#publisherConfirms(boolean) publisher confirms} (the default), a message
 * whose publish returned is delivered <b>at least once</b> — also across consumer and broker restarts — so
 * handlers must tolerate duplicates.</li>
 * <li>{@link SubscribeOptions#autoAck()} {@code false}: the handler acknowledges with {@link Event#ack()}; an
 * exception rejects the message as above, a handler that returns without acknowledging leaves it unacknowledged
 * until the subscription or connection closes.</li>
 * </ul>
 * <p>
 * <b>Publishing.</b> With publisher confirms (the default) {@link #publish} returns only when RabbitMQ has
 * confirmed the message (taken responsibility for it, written to disk for a persistent message on a durable
 * queue), and fails with {@link BrokerException} when it refuses it, the connection drops first, or no confirm
 * arrives within {@link Builder#confirmTimeout(Duration) confirmTimeout}. A message routed to no queue is confirmed
 * and dropped, as in AMQP. Concurrent publishers share one channel, so their confirms overlap.
 * <p>
 * <b>Failures.</b> Handlers run on the broker's consumer threads (the client's consumer work pool), never on the
 * connection's I/O thread; each subscription handles its messages one at a time. A handler exception is logged
 * with the topic and {@code Micro-Id}, counted in {@link #failedDeliveries()}, and never stops the subscription.
 * A message that fails {@link Builder#maxRedeliveries(int) maxRedeliveries} redeliveries (counted per process) is
 * given up: published to the {@link Builder#deadLetterExchange(String) dead-letter exchange} and acknowledged, or,
 * without one, rejected without requeue and logged as dropped. The connection recovers by itself (the client's
 * automatic recovery, every {@link Builder#recoveryInterval(Duration) recoveryInterval}) and restores exchanges,
 * queues, bindings and consumers; while it is down, publishing fails at once.
 * <p>
 * <b>TLS.</b> {@code amqps://} addresses connect with TLS (port 5671 by default), from the {@link TlsOptions} that
 * {@link Builder#tls(Supplier)} gives when a connection is opened or recovered (the JDK's CAs without them): the
 * server's certificate must be issued by a trusted CA and, by default, name the host dialled (an IP subject
 * alternative name for {@code 127.0.0.1}); a client certificate is presented when the options hold one. Options that
 * change (reloaded certificates) apply to the next connection or recovery. A failed handshake says why in the
 * {@link BrokerException}. Credentials never appear in {@link #address()}, logs or exception messages.
 * <p>
 * The connection opens on the first publish or subscribe. Every blocking call is bounded: connecting by
 * {@link Builder#connectTimeout(Duration) connectTimeout}, every AMQP operation by
 * {@link Builder#operationTimeout(Duration) operationTimeout}, confirms by {@code confirmTimeout}. {@link #close()}
 * is idempotent; publishing or subscribing afterwards fails with {@link BrokerException}.
 */
public final class RabbitBroker implements Broker, BrokerCounters {

	/** go-micro's default address. */
	public static final String DEFAULT_ADDRESS = "amqp://guest:guest@127.0.0.1:5672";

	/** go-micro's exchange. */
	public static final String DEFAULT_EXCHANGE = "micro";

	/** How many unacknowledged messages a manually acknowledging subscription may hold. */
	public static final int DEFAULT_PREFETCH = 100;

	/** How many times a failing message is redelivered before it is given up. */
	public static final int DEFAULT_MAX_REDELIVERIES = 5;

	/** How many failing messages the redelivery count remembers (least recently failed forgotten first). */
	public static final int DEFAULT_TRACKED_FAILURES = 10_000;

	/** Header added to a dead letter: why it was given up (the handler's exception). */
	public static final String DEAD_LETTER_REASON_HEADER = "X-Micro-Dead-Letter-Reason";

	/** Header added to a dead letter: the topic (routing key) it was delivered with. */
	public static final String DEAD_LETTER_TOPIC_HEADER = "X-Micro-Dead-Letter-Topic";

	/** Header added to a dead letter: the queue it was consumed from. */
	public static final String DEAD_LETTER_QUEUE_HEADER = "X-Micro-Dead-Letter-Queue";

	/** Header added to a dead letter: how many deliveries failed. */
	public static final String DEAD_LETTER_DELIVERIES_HEADER = "X-Micro-Dead-Letter-Deliveries";

	private static final Logger logger = LoggerFactory.getLogger(RabbitBroker.class);

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private final Builder options;

	private final List<Address> addresses;

	private final String displayAddress;

	private final ConnectionFactory factory;

	private final @Nullable FollowingSslContext sslContext;

	private final ExecutorService consumerExecutor;

	private final Object lock = new Object();

	private final Set<RabbitSubscription> subscriptions = ConcurrentHashMap.newKeySet();

	private final DeliveryAttempts attempts = new DeliveryAttempts(DEFAULT_TRACKED_FAILURES);

	private final AtomicLong failedDeliveries = new AtomicLong();

	private final AtomicLong requeued = new AtomicLong();

	private final AtomicLong deadLettered = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private volatile @Nullable Connection connection;

	private volatile @Nullable PublishChannel publishChannel;

	private volatile @Nullable String blockedReason;

	private volatile boolean closed;

	private RabbitBroker(Builder builder, List<URI> uris) {
		this.options = builder;
		int instance = INSTANCES.incrementAndGet();
		this.addresses = new ArrayList<>();
		List<String> shown = new ArrayList<>();
		boolean tls = "amqps".equalsIgnoreCase(uris.get(0).getScheme());
		for (URI uri : uris) {
			int port = (uri.getPort() > 0) ? uri.getPort()
					: (tls ? ConnectionFactory.DEFAULT_AMQP_OVER_SSL_PORT : ConnectionFactory.DEFAULT_AMQP_PORT);
			this.addresses.add(new Address(uri.getHost(), port));
			shown.add(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + port);
		}
		this.displayAddress = String.join(",", shown);
		this.factory = new ConnectionFactory();
		try {
			// as amqp://: the client's own amqps:// handling would trust every certificate
			this.factory.setUri(tls ? withScheme(uris.get(0), "amqp") : uris.get(0));
		}
		catch (Exception ex) {
			throw new IllegalArgumentException("address: " + Redaction.uri(uris.get(0).toString()) + " ("
					+ Redaction.text(String.valueOf(ex.getMessage()), builder.addresses) + ")", ex);
		}
		if (tls) {
			this.sslContext = FollowingSslContext.client((builder.tls != null) ? builder.tls : TlsOptions::defaults);
			this.factory.useSslProtocol(this.sslContext);
		}
		else {
			this.sslContext = null;
		}
		if (builder.username != null) {
			this.factory.setUsername(builder.username);
		}
		if (builder.password != null) {
			this.factory.setPassword(builder.password);
		}
		if (builder.virtualHost != null) {
			this.factory.setVirtualHost(builder.virtualHost);
		}
		this.factory.setAutomaticRecoveryEnabled(true);
		this.factory.setTopologyRecoveryEnabled(true);
		this.factory.setNetworkRecoveryInterval(builder.recoveryInterval.toMillis());
		this.factory.setConnectionTimeout(millis(builder.connectTimeout));
		this.factory.setHandshakeTimeout(millis(builder.connectTimeout));
		this.factory.setChannelRpcTimeout(millis(builder.operationTimeout));
		this.factory.setShutdownTimeout(millis(builder.operationTimeout));
		this.factory.setThreadFactory(daemonThreads("micro-rabbitmq-" + instance + "-io-"));
		// a consumer's exception must never close its channel (the strict default would)
		this.factory.setExceptionHandler(new ForgivingExceptionHandler());
		this.factory.setTopologyRecoveryFilter(new LiveChannelsOnly());
		this.consumerExecutor = Executors.newFixedThreadPool(builder.consumerThreads,
				daemonThreads("micro-rabbitmq-" + instance + "-consumer-"));
	}

	private static URI withScheme(URI uri, String scheme) throws URISyntaxException {
		return new URI(scheme, uri.getRawAuthority(), uri.getRawPath(), uri.getRawQuery(), uri.getRawFragment());
	}

	/** A builder for a broker connecting to {@code address}, e.g. {@code amqp://guest:guest@127.0.0.1:5672}. */
	public static Builder builder(String address) {
		return new Builder(List.of(address));
	}

	/** A builder for a broker connecting to the first reachable of {@code addresses} (a cluster). */
	public static Builder builder(List<String> addresses) {
		return new Builder(addresses);
	}

	/** A builder for a broker at go-micro's default address, {@value #DEFAULT_ADDRESS}. */
	public static Builder builder() {
		return new Builder(List.of(DEFAULT_ADDRESS));
	}

	@Override
	public String name() {
		return "rabbitmq";
	}

	/** The addresses as {@code amqp://host:port}, comma separated, without credentials. */
	@Override
	public String address() {
		return this.displayAddress;
	}

	/**
	 * Publishes {@code message} to the exchange with routing key {@code topic}; with publisher confirms, returns once
	 * RabbitMQ confirmed it.
	 * @throws BrokerException if the broker is closed or cannot connect, the connection is blocked by a resource
	 * alarm, RabbitMQ refuses the message, or no confirm arrives within the confirm timeout
	 */
	@Override
	public void publish(String topic, Message message) {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(message, "message");
		ensureOpen();
		send(this.options.exchange, topic, RabbitWire.properties(message.headers(), this.options.persistent),
				message.body(), message.headers());
	}

	/**
	 * Declares the subscription's queue, binds it to {@code topic} (AMQP topic patterns such as {@code events.*}
	 * work) and starts consuming; messages published after this returns reach the handler.
	 * @throws BrokerException if the broker is closed, cannot connect, or RabbitMQ refuses a declaration (e.g. an
	 * existing queue or exchange with other durability)
	 */
	@Override
	public Subscription subscribe(String topic, BrokerHandler handler, SubscribeOptions options) {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(handler, "handler");
		Objects.requireNonNull(options, "options");
		ensureOpen();
		AckMode mode = this.options.ackOnSuccess ? AckMode.ON_SUCCESS
				: (options.autoAck() ? AckMode.AUTO : AckMode.MANUAL);
		Channel channel = null;
		try {
			channel = connection().createChannel();
			if (channel == null) {
				throw new BrokerException("RabbitMQ at " + this.displayAddress + " has no free channel");
			}
			channel.basicQos(this.options.prefetch);
			String queue;
			if (options.queue() == null) {
				queue = channel.queueDeclare().getQueue();
			}
			else if (this.options.durableQueue) {
				queue = channel.queueDeclare(options.queue(), true, false, false, null).getQueue();
			}
			else {
				queue = channel.queueDeclare(options.queue(), false, false, true, null).getQueue();
			}
			channel.queueBind(queue, this.options.exchange, topic);
			String deadLetterQueue = (options.queue() != null) ? options.queue() + ".dlq" : topic + ".dlq";
			if (mode != AckMode.AUTO && this.options.deadLetterExchange != null) {
				channel.queueDeclare(deadLetterQueue, true, false, false, null);
				channel.queueBind(deadLetterQueue, this.options.deadLetterExchange, deadLetterQueue);
			}
			RabbitSubscription subscription = new RabbitSubscription(topic, options.queue(), queue, deadLetterQueue,
					handler, mode, channel);
			this.subscriptions.add(subscription);
			subscription.consumerTag = channel.basicConsume(queue, mode == AckMode.AUTO, subscription.consumer);
			if (this.closed) {
				subscription.close();
				throw new BrokerException("rabbitmq broker is closed");
			}
			return subscription;
		}
		catch (IOException | RuntimeException ex) {
			abortQuietly(channel);
			if (ex instanceof BrokerException broker) {
				throw broker;
			}
			throw new BrokerException("cannot subscribe to topic " + topic + " on RabbitMQ at " + this.displayAddress
					+ ": " + describe(ex), ex);
		}
	}

	/** How many deliveries ended with the handler throwing, since the broker was created. */
	public long failedDeliveries() {
		return this.failedDeliveries.get();
	}

	/** How many failed deliveries were put back in their queue for another attempt. */
	public long requeuedDeliveries() {
		return this.requeued.get();
	}

	/** How many messages were given up and published to the dead-letter exchange. */
	public long deadLetteredMessages() {
		return this.deadLettered.get();
	}

	/** How many messages were given up and dropped (rejected without requeue, no dead-letter exchange). */
	public long droppedMessages() {
		return this.dropped.get();
	}

	/**
	 * The counters {@value BrokerCounters#DELIVERIES_FAILED} ({@link #failedDeliveries()}),
	 * {@value BrokerCounters#DELIVERIES_REQUEUED} ({@link #requeuedDeliveries()}),
	 * {@value BrokerCounters#MESSAGES_DEAD_LETTERED} ({@link #deadLetteredMessages()}) and
	 * {@value BrokerCounters#MESSAGES_DROPPED} ({@link #droppedMessages()}).
	 */
	@Override
	public Map<String, LongSupplier> counters() {
		return Map.of(DELIVERIES_FAILED, this.failedDeliveries::get, DELIVERIES_REQUEUED, this.requeued::get,
				MESSAGES_DEAD_LETTERED, this.deadLettered::get, MESSAGES_DROPPED, this.dropped::get);
	}

	/**
	 * Cancels the subscriptions, closes the connection (waiting at most the operation timeout for handlers in
	 * flight) and stops the consumer threads. Idempotent.
	 */
	@Override
	public void close() {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
		}
		for (RabbitSubscription subscription : List.copyOf(this.subscriptions)) {
			subscription.close();
		}
		Connection current = this.connection;
		if (current != null) {
			try {
				current.close(millis(this.options.operationTimeout));
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Closing the RabbitMQ connection failed", ex);
				current.abort(millis(this.options.operationTimeout));
			}
		}
		this.consumerExecutor.shutdown();
		try {
			if (!this.consumerExecutor.awaitTermination(this.options.operationTimeout.toMillis(),
					TimeUnit.MILLISECONDS)) {
				logger.warn("RabbitMQ broker closed with handlers still running after {}",
						this.options.operationTimeout);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.consumerExecutor.shutdownNow();
	}

	@Override
	public String toString() {
		return "RabbitBroker{" + this.displayAddress + ", exchange=" + this.options.exchange + "}";
	}

	private void ensureOpen() {
		if (this.closed) {
			throw new BrokerException("rabbitmq broker is closed");
		}
	}

	private Connection connection() {
		Connection current = this.connection;
		if (current != null) {
			return current;
		}
		synchronized (this.lock) {
			ensureOpen();
			current = this.connection;
			if (current != null) {
				return current;
			}
			try {
				current = this.factory.newConnection(this.consumerExecutor, this.addresses, "micro4j");
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				throw new BrokerException(
						"cannot connect to RabbitMQ at " + this.displayAddress + ": " + describeConnect(ex), ex);
			}
			try (Channel channel = current.createChannel()) {
				declareExchanges(channel);
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				current.abort();
				throw new BrokerException("cannot declare exchange " + this.options.exchange + " on RabbitMQ at "
						+ this.displayAddress + ": " + describe(ex), ex);
			}
			current.addBlockedListener(reason -> {
				this.blockedReason = reason;
				logger.warn("RabbitMQ blocked publishing: {}", reason);
			}, () -> {
				this.blockedReason = null;
				logger.info("RabbitMQ unblocked publishing");
			});
			current.addShutdownListener(cause -> {
				if (!cause.isInitiatedByApplication()) {
					logger.warn("RabbitMQ connection to {} lost ({}); recovering every {}", this.displayAddress,
							cause.getMessage(), this.options.recoveryInterval);
				}
			});
			if (current instanceof Recoverable recoverable) {
				recoverable.addRecoveryListener(new RecoveryListener() {

					@Override
					public void handleRecovery(Recoverable recovered) {
						logger.info("RabbitMQ connection to {} recovered with its subscriptions",
								RabbitBroker.this.displayAddress);
					}

					@Override
					public void handleRecoveryStarted(Recoverable recovering) {
					}

					@Override
					public void handleTopologyRecoveryStarted(Recoverable recovering) {
						// before queues and bindings are recovered: they need the exchanges
						try (Channel channel = ((Connection) recovering).createChannel()) {
							declareExchanges(channel);
						}
						catch (IOException | TimeoutException | RuntimeException ex) {
							logger.error("Cannot redeclare the exchanges on RabbitMQ at {} after recovery: {}",
									RabbitBroker.this.displayAddress, describe(ex));
						}
					}

				});
			}
			this.connection = current;
			return current;
		}
	}

	private void declareExchanges(Channel channel) throws IOException {
		channel.exchangeDeclare(this.options.exchange, "topic", this.options.durableExchange);
		if (this.options.deadLetterExchange != null) {
			channel.exchangeDeclare(this.options.deadLetterExchange, "topic", true);
		}
	}

	private void send(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
			Metadata headers) {
		String blocked = this.blockedReason;
		if (blocked != null) {
			throw new BrokerException("RabbitMQ blocked publishing (" + blocked + "): message "
					+ headers.get("Micro-Id").orElse("(no Micro-Id)") + " to " + routingKey + " not sent");
		}
		PublishChannel channel = publishChannel();
		Pending pending = channel.publish(exchange, routingKey, properties, body);
		if (pending == null) {
			return;
		}
		try {
			pending.confirm().get(this.options.confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			channel.forget(pending.sequence());
			throw new BrokerException("no publisher confirm from RabbitMQ within " + this.options.confirmTimeout
					+ " for message " + headers.get("Micro-Id").orElse("(no Micro-Id)") + " to " + routingKey, ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new BrokerException(cause.getMessage() + ": message "
					+ headers.get("Micro-Id").orElse("(no Micro-Id)") + " to " + routingKey, cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			channel.forget(pending.sequence());
			throw new BrokerException("interrupted while waiting for a publisher confirm", ex);
		}
	}

	private PublishChannel publishChannel() {
		PublishChannel current = this.publishChannel;
		if (current != null && !current.dead) {
			return current;
		}
		synchronized (this.lock) {
			ensureOpen();
			current = this.publishChannel;
			if (current != null && !current.dead) {
				return current;
			}
			if (current != null) {
				// never let the client recover it: a recovered channel restarts its confirm sequence
				abortQuietly(current.channel);
			}
			Channel channel = null;
			try {
				channel = connection().createChannel();
				if (channel == null) {
					throw new BrokerException("RabbitMQ at " + this.displayAddress + " has no free channel");
				}
				// idempotent; restores the exchange if someone deleted it
				channel.exchangeDeclare(this.options.exchange, "topic", this.options.durableExchange);
				if (this.options.publisherConfirms) {
					channel.confirmSelect();
				}
				PublishChannel created = new PublishChannel(channel, this.options.publisherConfirms);
				channel.addConfirmListener(created);
				channel.addShutdownListener(created::shutdown);
				this.publishChannel = created;
				return created;
			}
			catch (IOException | RuntimeException ex) {
				abortQuietly(channel);
				if (ex instanceof BrokerException broker) {
					throw broker;
				}
				throw new BrokerException(
						"cannot publish to RabbitMQ at " + this.displayAddress + ": " + describe(ex), ex);
			}
		}
	}

	private static void abortQuietly(@Nullable Channel channel) {
		if (channel == null) {
			return;
		}
		try {
			channel.abort();
		}
		catch (IOException | RuntimeException ex) {
			// already closed
		}
	}

	/**
	 * Why connecting failed: the TLS handshake's failure in words when there was one. Under TLS 1.3 a server that
	 * refuses the client's certificate does so after the client finished its handshake, so the client may see its
	 * alert, or only the connection closing: that says what it may mean.
	 */
	private String describeConnect(Throwable ex) {
		FollowingSslContext context = this.sslContext;
		String detail = Redaction.text(describe(ex), this.options.addresses);
		if (context == null) {
			return detail;
		}
		if (TlsFailures.tlsCause(ex) != null) {
			String hosts = this.displayAddress.replace("amqps://", "").replaceAll(":\\d+", "");
			return "TLS handshake failed: " + TlsFailures.describe(ex, hosts, context.hasCertificate());
		}
		for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof SocketException || cause instanceof EOFException) {
				return "TLS: the server closed the connection before AMQP started ("
						+ (context.hasCertificate() ? "it may have refused this client's certificate"
								: "it may require a client certificate, and this client has none")
						+ "): " + detail;
			}
		}
		return detail;
	}

	private static String describe(Throwable ex) {
		Throwable cause = ex;
		while (cause instanceof IOException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		String text = cause.getMessage();
		return (text != null) ? text : cause.getClass().getSimpleName();
	}

	private static int millis(Duration duration) {
		return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return runnable -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * What the client's topology recovery restores: queues and bindings declared on channels still in use
	 * (subscriptions), and consumers. Exchanges are redeclared by the broker itself: the client would redeclare
	 * them on the channel they were first declared on, which is closed by then.
	 */
	private static final class LiveChannelsOnly implements TopologyRecoveryFilter {

		@Override
		public boolean filterExchange(RecordedExchange exchange) {
			return false;
		}

		@Override
		public boolean filterQueue(RecordedQueue queue) {
			return queue.getDelegateChannel().isOpen();
		}

		@Override
		public boolean filterBinding(RecordedBinding binding) {
			return binding.getDelegateChannel().isOpen();
		}

	}

	private enum AckMode {

		/** AMQP auto-ack: acknowledged when sent. */
		AUTO,

		/** Acknowledged by the broker when the handler returns. */
		ON_SUCCESS,

		/** Acknowledged by the handler with {@link Event#ack()}. */
		MANUAL

	}

	private record Pending(long sequence, CompletableFuture<Void> confirm) {
	}

	/** The one channel publishers share, with its outstanding confirms; replaced when it dies. */
	private static final class PublishChannel implements ConfirmListener {

		private final Channel channel;

		private final boolean confirms;

		private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> pending = new ConcurrentSkipListMap<>();

		private volatile boolean dead;

		PublishChannel(Channel channel, boolean confirms) {
			this.channel = channel;
			this.confirms = confirms;
		}

		/** Publishes; returns the confirm to wait for, or {@code null} without confirms. */
		@Nullable Pending publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
			synchronized (this) {
				if (this.dead) {
					throw new BrokerException("RabbitMQ connection lost; publishing again after recovery");
				}
				long sequence = this.channel.getNextPublishSeqNo();
				CompletableFuture<Void> confirm = null;
				if (this.confirms) {
					confirm = new CompletableFuture<>();
					this.pending.put(sequence, confirm);
				}
				try {
					this.channel.basicPublish(exchange, routingKey, false, properties, body);
				}
				catch (IOException | RuntimeException ex) {
					this.pending.remove(sequence);
					this.dead = true;
					throw new BrokerException("cannot publish to RabbitMQ: " + describe(ex), ex);
				}
				return (confirm != null) ? new Pending(sequence, confirm) : null;
			}
		}

		void forget(long sequence) {
			this.pending.remove(sequence);
		}

		@Override
		public void handleAck(long deliveryTag, boolean multiple) {
			settle(deliveryTag, multiple, null);
		}

		@Override
		public void handleNack(long deliveryTag, boolean multiple) {
			settle(deliveryTag, multiple, "RabbitMQ refused the message (basic.nack)");
		}

		private void settle(long deliveryTag, boolean multiple, @Nullable String failure) {
			if (multiple) {
				ConcurrentNavigableMap<Long, CompletableFuture<Void>> settled = this.pending.headMap(deliveryTag, true);
				settled.values().forEach(confirm -> complete(confirm, failure));
				settled.clear();
			}
			else {
				CompletableFuture<Void> confirm = this.pending.remove(deliveryTag);
				if (confirm != null) {
					complete(confirm, failure);
				}
			}
		}

		private static void complete(CompletableFuture<Void> confirm, @Nullable String failure) {
			if (failure == null) {
				confirm.complete(null);
			}
			else {
				confirm.completeExceptionally(new BrokerException(failure));
			}
		}

		void shutdown(ShutdownSignalException cause) {
			this.dead = true;
			String reason = "RabbitMQ channel closed before the publisher confirm (" + cause.getMessage() + ")";
			for (Long sequence : List.copyOf(this.pending.keySet())) {
				CompletableFuture<Void> confirm = this.pending.remove(sequence);
				if (confirm != null) {
					confirm.completeExceptionally(new BrokerException(reason));
				}
			}
		}

	}

	/** A consumer on its own channel. */
	private final class RabbitSubscription implements Subscription {

		private final String topic;

		private final @Nullable String queue;

		private final String queueName;

		private final String deadLetterQueue;

		private final BrokerHandler handler;

		private final AckMode mode;

		private final Channel channel;

		private final DefaultConsumer consumer;

		private final AtomicBoolean closed = new AtomicBoolean();

		private volatile @Nullable String consumerTag;

		RabbitSubscription(String topic, @Nullable String queue, String queueName, String deadLetterQueue,
				BrokerHandler handler, AckMode mode, Channel channel) {
			this.topic = topic;
			this.queue = queue;
			this.queueName = queueName;
			this.deadLetterQueue = deadLetterQueue;
			this.handler = handler;
			this.mode = mode;
			this.channel = channel;
			this.consumer = new DefaultConsumer(channel) {

				@Override
				public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) {
					deliver(envelope, properties, body);
				}

				@Override
				public void handleCancel(String consumerTag) {
					logger.warn("RabbitMQ cancelled the consumer of topic {} on queue {} (queue deleted?)",
							RabbitSubscription.this.topic, RabbitSubscription.this.queueName);
				}

			};
		}

		@Override
		public String topic() {
			return this.topic;
		}

		@Override
		public Optional<String> queue() {
			return Optional.ofNullable(this.queue);
		}

		private void deliver(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
			Message message = RabbitWire.message(properties, body);
			RabbitEvent event = new RabbitEvent(envelope.getRoutingKey(), message, this.channel,
					envelope.getDeliveryTag(), this.mode != AckMode.AUTO);
			try {
				this.handler.handle(event);
			}
			catch (Exception | Error ex) {
				if (ex instanceof VirtualMachineError error) {
					throw error;
				}
				failed(event, envelope, ex);
				return;
			}
			if (this.mode != AckMode.AUTO && !RabbitBroker.this.attempts.isEmpty()) {
				RabbitBroker.this.attempts.forget(attemptKey(message));
			}
			if (this.mode == AckMode.ON_SUCCESS) {
				event.ack();
			}
		}

		private void failed(RabbitEvent event, Envelope envelope, Throwable ex) {
			RabbitBroker.this.failedDeliveries.incrementAndGet();
			String id = event.message().headers().get("Micro-Id").orElse("(no Micro-Id)");
			if (this.mode == AckMode.AUTO || event.settled.get()) {
				logger.warn("Handler of topic {} failed on message {}", event.topic(), id, ex);
				return;
			}
			String key = attemptKey(event.message());
			int failures = RabbitBroker.this.attempts.failed(key, envelope.isRedeliver());
			int max = RabbitBroker.this.options.maxRedeliveries;
			if (RabbitBroker.this.options.requeueOnError && failures <= max) {
				logger.warn("Handler of topic {} failed on message {} (delivery {} of at most {}); requeued",
						event.topic(), id, failures, max + 1, ex);
				RabbitBroker.this.requeued.incrementAndGet();
				event.reject(true);
				return;
			}
			RabbitBroker.this.attempts.forget(key);
			giveUp(event, failures, ex, id);
		}

		private void giveUp(RabbitEvent event, int failures, Throwable ex, String id) {
			String exchange = RabbitBroker.this.options.deadLetterExchange;
			if (exchange == null) {
				logger.warn("Handler of topic {} failed on message {} {} time(s); dropped (no dead-letter exchange)",
						event.topic(), id, failures, ex);
				RabbitBroker.this.dropped.incrementAndGet();
				event.reject(false);
				return;
			}
			Metadata headers = event.message()
				.headers()
				.with(DEAD_LETTER_REASON_HEADER, String.valueOf(ex))
				.with(DEAD_LETTER_TOPIC_HEADER, event.topic())
				.with(DEAD_LETTER_QUEUE_HEADER, this.queueName)
				.with(DEAD_LETTER_DELIVERIES_HEADER, Integer.toString(failures));
			try {
				send(exchange, this.deadLetterQueue, RabbitWire.properties(headers, true), event.message().body(),
						headers);
			}
			catch (BrokerException deadLetterFailure) {
				logger.error("Handler of topic {} failed on message {} {} time(s) and dead-lettering it to {} failed "
						+ "({}); requeued", event.topic(), id, failures, exchange, deadLetterFailure.getMessage(), ex);
				event.reject(true);
				return;
			}
			logger.warn("Handler of topic {} failed on message {} {} time(s); dead-lettered to {} ({})",
					event.topic(), id, failures, exchange, this.deadLetterQueue, ex);
			RabbitBroker.this.deadLettered.incrementAndGet();
			event.ack();
		}

		private String attemptKey(Message message) {
			String id = message.headers().getOrNull("Micro-Id");
			if (id != null) {
				return this.queueName + "\u0000" + id;
			}
			return this.queueName + "\u0000#" + message.body().length + ":" + Arrays.hashCode(message.body());
		}

		@Override
		public void close() {
			if (!this.closed.compareAndSet(false, true)) {
				return;
			}
			RabbitBroker.this.subscriptions.remove(this);
			String tag = this.consumerTag;
			try {
				if (tag != null && this.channel.isOpen()) {
					this.channel.basicCancel(tag);
				}
				this.channel.close();
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				logger.debug("Closing the subscription of topic {} failed", this.topic, ex);
				abortQuietly(this.channel);
			}
		}

	}

	/** A delivered message; acknowledging it is only meaningful when the subscription acknowledges manually. */
	private static final class RabbitEvent implements Event {

		private final String topic;

		private final Message message;

		private final Channel channel;

		private final long deliveryTag;

		private final boolean manual;

		private final AtomicBoolean settled = new AtomicBoolean();

		RabbitEvent(String topic, Message message, Channel channel, long deliveryTag, boolean manual) {
			this.topic = topic;
			this.message = message;
			this.channel = channel;
			this.deliveryTag = deliveryTag;
			this.manual = manual;
		}

		@Override
		public String topic() {
			return this.topic;
		}

		@Override
		public Message message() {
			return this.message;
		}

		/**
		 * Acknowledges the message (once; later calls do nothing).
		 * @throws BrokerException if the channel is closed (the message will be redelivered)
		 */
		@Override
		public void ack() {
			if (!this.manual || !this.settled.compareAndSet(false, true)) {
				return;
			}
			try {
				this.channel.basicAck(this.deliveryTag, false);
			}
			catch (IOException | RuntimeException ex) {
				throw new BrokerException("cannot acknowledge message on topic " + this.topic + ": " + describe(ex),
						ex);
			}
		}

		void reject(boolean requeue) {
			if (!this.manual || !this.settled.compareAndSet(false, true)) {
				return;
			}
			try {
				this.channel.basicNack(this.deliveryTag, false, requeue);
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("Cannot reject message on topic {} ({}); RabbitMQ redelivers it when the channel closes",
						this.topic, describe(ex));
			}
		}

	}

	/**
	 * Builds a {@link RabbitBroker}. Defaults are go-micro's where it has one (exchange {@value #DEFAULT_EXCHANGE},
	 * transient exchange and queues, auto-ack), plus persistent delivery and publisher confirms, which change no
	 * bytes on the wire.
	 */
	public static final class Builder {

		private final List<String> addresses;

		private @Nullable String username;

		private @Nullable String password;

		private @Nullable String virtualHost;

		private String exchange = DEFAULT_EXCHANGE;

		private boolean durableExchange;

		private boolean durableQueue;

		private boolean persistent = true;

		private boolean publisherConfirms = true;

		private Duration confirmTimeout = Duration.ofSeconds(5);

		private boolean ackOnSuccess;

		private boolean requeueOnError = true;

		private int maxRedeliveries = DEFAULT_MAX_REDELIVERIES;

		private @Nullable String deadLetterExchange;

		private int prefetch = DEFAULT_PREFETCH;

		private Duration connectTimeout = Duration.ofSeconds(10);

		private Duration operationTimeout = Duration.ofSeconds(10);

		private Duration recoveryInterval = Duration.ofSeconds(1);

		private int consumerThreads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

		private @Nullable Supplier<TlsOptions> tls;

		private Builder(List<String> addresses) {
			Objects.requireNonNull(addresses, "addresses");
			this.addresses = List.copyOf(addresses);
		}

		/** The user to log in as; defaults to the address's user info, else {@code guest}. */
		public Builder username(String username) {
			this.username = requireText("username", username);
			return this;
		}

		/** The password to log in with; defaults to the address's user info, else {@code guest}. */
		public Builder password(String password) {
			this.password = Objects.requireNonNull(password, "password");
			return this;
		}

		/** The virtual host; defaults to the address's path, else {@code /}. */
		public Builder virtualHost(String virtualHost) {
			this.virtualHost = requireText("virtualHost", virtualHost);
			return this;
		}

		/** The topic exchange messages are published to; {@value #DEFAULT_EXCHANGE} by default, as go-micro. */
		public Builder exchange(String exchange) {
			this.exchange = requireText("exchange", exchange);
			return this;
		}

		/**
		 * Whether the exchange survives a RabbitMQ restart; {@code false} by default (go-micro's). All services on
		 * an exchange must agree: RabbitMQ refuses to redeclare it with the other durability.
		 */
		public Builder durableExchange(boolean durableExchange) {
			this.durableExchange = durableExchange;
			return this;
		}

		/**
		 * Whether a named (queue group) queue is durable and kept without consumers; {@code false} by default
		 * (go-micro's: transient, deleted with its last consumer). Broadcast queues are always exclusive.
		 */
		public Builder durableQueue(boolean durableQueue) {
			this.durableQueue = durableQueue;
			return this;
		}

		/** Whether messages are published persistent (delivery mode 2); {@code true} by default. */
		public Builder persistent(boolean persistent) {
			this.persistent = persistent;
			return this;
		}

		/**
		 * Whether publishing waits for RabbitMQ's publisher confirm; {@code true} by default. Without it, a
		 * publish returns once the message is written to the socket.
		 */
		public Builder publisherConfirms(boolean publisherConfirms) {
			this.publisherConfirms = publisherConfirms;
			return this;
		}

		/** How long a publish waits for its confirm; 5 s by default. */
		public Builder confirmTimeout(Duration confirmTimeout) {
			this.confirmTimeout = Arguments.positive("confirmTimeout", confirmTimeout);
			return this;
		}

		/**
		 * Whether messages are acknowledged after the handler returns (at least once) instead of on delivery (at
		 * most once, the default, go-micro's); go-micro's {@code AckOnSuccess()}.
		 */
		public Builder ackOnSuccess(boolean ackOnSuccess) {
			this.ackOnSuccess = ackOnSuccess;
			return this;
		}

		/**
		 * Whether a message whose handler threw is requeued (up to {@link #maxRedeliveries(int)} times) when
		 * acknowledging manually; {@code true} by default (go-micro's {@code RequeueOnError()} defaults to off).
		 */
		public Builder requeueOnError(boolean requeueOnError) {
			this.requeueOnError = requeueOnError;
			return this;
		}

		/**
		 * How many times a failing message is redelivered before it is dead-lettered or dropped; {@value
		 * #DEFAULT_MAX_REDELIVERIES} by default, so at most {@code maxRedeliveries + 1} deliveries per consumer
		 * process.
		 */
		public Builder maxRedeliveries(int maxRedeliveries) {
			this.maxRedeliveries = Arguments.nonNegative("maxRedeliveries", maxRedeliveries);
			return this;
		}

		/**
		 * The exchange (topic, durable) a given-up message is published to, with routing key {@code <queue>.dlq}
		 * ({@code <topic>.dlq} for broadcast subscriptions), into the durable queue of that name which the broker
		 * declares; empty (the default) drops given-up messages with a warning.
		 */
		public Builder deadLetterExchange(String deadLetterExchange) {
			Objects.requireNonNull(deadLetterExchange, "deadLetterExchange");
			this.deadLetterExchange = deadLetterExchange.isBlank() ? null : deadLetterExchange;
			return this;
		}

		/**
		 * How many unacknowledged messages a subscription may hold when acknowledging manually; {@value
		 * #DEFAULT_PREFETCH} by default.
		 */
		public Builder prefetch(int prefetch) {
			if (prefetch <= 0 || prefetch > 65535) {
				throw new IllegalArgumentException("prefetch: " + prefetch + " (expected: > 0 and <= 65535)");
			}
			this.prefetch = prefetch;
			return this;
		}

		/** The timeout for opening the TCP connection and the AMQP handshake; 10 s by default. */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = Arguments.positive("connectTimeout", connectTimeout);
			return this;
		}

		/** The timeout of every AMQP operation (declare, bind, consume, close); 10 s by default. */
		public Builder operationTimeout(Duration operationTimeout) {
			this.operationTimeout = Arguments.positive("operationTimeout", operationTimeout);
			return this;
		}

		/** How long to wait between attempts to recover a lost connection; 1 s by default. */
		public Builder recoveryInterval(Duration recoveryInterval) {
			this.recoveryInterval = Arguments.positive("recoveryInterval", recoveryInterval);
			return this;
		}

		/** How many threads run handlers (subscriptions share them, each handles one message at a time). */
		public Builder consumerThreads(int consumerThreads) {
			this.consumerThreads = Arguments.positive("consumerThreads", consumerThreads);
			return this;
		}

		/**
		 * The TLS options of {@code amqps://} connections, asked each time a connection is opened or recovered (the
		 * trusted CAs, a client certificate for servers that verify peers, hostname verification, protocols and
		 * cipher suites); {@code null} (default): the JDK's CAs, hostname verified. Requires {@code amqps://}
		 * addresses.
		 */
		public Builder tls(@Nullable Supplier<TlsOptions> tls) {
			this.tls = tls;
			return this;
		}

		/**
		 * The broker; it connects on first use.
		 * @throws IllegalArgumentException if an address is not an {@code amqp://} or {@code amqps://} URI, the
		 * addresses mix both schemes, or TLS options are given for {@code amqp://} addresses
		 * @throws IllegalStateException when the TLS options cannot make a TLS context
		 */
		public RabbitBroker build() {
			if (this.addresses.isEmpty()) {
				throw new IllegalArgumentException("addresses: [] (expected: at least one amqp:// address)");
			}
			List<URI> uris = new ArrayList<>();
			for (String address : this.addresses) {
				uris.add(parse(address));
			}
			long secure = uris.stream().filter((uri) -> "amqps".equalsIgnoreCase(uri.getScheme())).count();
			if (secure != 0 && secure != uris.size()) {
				throw new IllegalArgumentException("addresses: " + redacted(this.addresses)
						+ " (expected: all amqp:// or all amqps://; one connection factory serves them all)");
			}
			if (this.tls != null && secure == 0) {
				throw new IllegalArgumentException("addresses: " + redacted(this.addresses)
						+ " (expected: amqps:// addresses with TLS options; amqp:// is plaintext)");
			}
			return new RabbitBroker(snapshot(), uris);
		}

		private static List<String> redacted(List<String> addresses) {
			return addresses.stream().map(Redaction::uri).toList();
		}

		/** A copy, so a broker never changes when its builder is reused. */
		private Builder snapshot() {
			Builder copy = new Builder(this.addresses);
			copy.username = this.username;
			copy.password = this.password;
			copy.virtualHost = this.virtualHost;
			copy.exchange = this.exchange;
			copy.durableExchange = this.durableExchange;
			copy.durableQueue = this.durableQueue;
			copy.persistent = this.persistent;
			copy.publisherConfirms = this.publisherConfirms;
			copy.confirmTimeout = this.confirmTimeout;
			copy.ackOnSuccess = this.ackOnSuccess;
			copy.requeueOnError = this.requeueOnError;
			copy.maxRedeliveries = this.maxRedeliveries;
			copy.deadLetterExchange = this.deadLetterExchange;
			copy.prefetch = this.prefetch;
			copy.connectTimeout = this.connectTimeout;
			copy.operationTimeout = this.operationTimeout;
			copy.recoveryInterval = this.recoveryInterval;
			copy.consumerThreads = this.consumerThreads;
			copy.tls = this.tls;
			return copy;
		}

		private static URI parse(String address) {
			String text = Objects.requireNonNull(address, "address").trim();
			if (!text.contains("://")) {
				text = "amqp://" + text;
			}
			try {
				URI uri = new URI(text);
				String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
				if (!scheme.equals("amqp") && !scheme.equals("amqps") || uri.getHost() == null) {
					throw new IllegalArgumentException("address: " + Redaction.uri(address)
							+ " (expected: amqp://host:port or amqps://host:port)");
				}
				return uri;
			}
			catch (URISyntaxException ex) {
				// the exception's message repeats the address: no cause, so no password in a stack trace
				throw new IllegalArgumentException("address: " + Redaction.uri(address)
						+ " (expected: amqp://host:port or amqps://host:port; not a URI at index " + ex.getIndex()
						+ ")");
			}
		}

		private static String requireText(String name, String value) {
			Objects.requireNonNull(value, name);
			if (value.isBlank()) {
				throw new IllegalArgumentException(name + ": \"" + value + "\" (expected: not blank)");
			}
			return value;
		}

	}

}
