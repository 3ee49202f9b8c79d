package io.micro4j.broker.http;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerCounters;
import io.micro4j.broker.BrokerException;
import io.micro4j.broker.BrokerHandler;
import io.micro4j.broker.Envelope;
import io.micro4j.broker.Event;
import io.micro4j.broker.InvalidEnvelopeException;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.Subscription;
import io.micro4j.broker.internal.Handlers;
import io.micro4j.errors.MicroException;
import io.micro4j.internal.Arguments;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.Service;
import io.micro4j.server.Addresses;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import io.micro4j.transport.TlsOptions;
import io.micro4j.transport.http.HttpTransportClient;
import io.micro4j.transport.http.ConnectionLimits;
import io.micro4j.transport.http.HttpTransportServer;
import io.netty.channel.EventLoopGroup;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * go-micro's {@code http} broker: pub/sub without a broker process, through the registry. Named {@code http}.
 * <p>
 * <b>Wire (go-micro's).</b> Each subscription listens on this broker's HTTP listener and registers a node under
 * service {@value #SERVICE}, version = the queue name or {@value #BROADCAST_VERSION}, node id
 * {@code <topic>-<uuid>}, metadata {@code {"broker":"http","secure":"false","topic":<topic>}} ({@code "true"} with a
 * TLS listener, {@link Builder#listenerTls}), with a TTL of
 * {@link #REGISTER_TTL} renewed every {@link #REGISTER_INTERVAL}, and deregisters when closed. {@link #publish}
 * encodes the message as go-micro's JSON {@link Envelope} and POSTs it to {@code /?id=<node id>} with
 * {@code Content-Type: application/json}: to every node of the broadcast version with that topic and to one random
 * node of each queue group, found through a {@link RegistryCache} over the registry. The listener decodes the
 * envelope and hands the message to the subscription named by {@code id}. Deliveries to nodes that say
 * {@code secure=true} go over TLS ({@link Builder#clientTls}), as go-micro's publisher switches to {@code https}.
 * <p>
 * <b>Where it differs from go-micro.</b> Each subscription has its own node (go-micro shares one per topic and
 * process, so two queue groups on one topic overwrite each other's record). The listener answers {@code 200} as
 * soon as the message is queued for the handler (at most {@link Builder#handlerQueueSize} waiting), {@code 503}
 * when that queue is full, {@code 404} for an unknown subscription id and {@code 400} (go-micro's error JSON in the
 * body, logged once) for a body that is not an envelope. A delivery that fails (no connection, timeout, a 5xx) is
 * kept in a bounded <em>outbox</em> and retried with exponential back-off ({@link Builder#retryBackoff} doubling up
 * to {@link Builder#maxRetryBackoff}) for up to {@link Builder#retryTimeout}, while the node stays registered (for a
 * queue group, to a random member at each attempt); go-micro only retries on the next publish to the topic. When
 * the outbox is full the oldest waiting delivery is dropped (a warning once per overflow, counted in
 * {@link #droppedMessages()}). {@code publish} never waits for the subscribers, but it waits while
 * {@link Builder#maxInFlight} deliveries are already in flight.
 * <p>
 * <b>Guarantees: best effort.</b> No persistence: whatever is in flight or in the outbox is lost when either
 * process stops, and a subscriber that is not registered when a message is published never sees it. Delivery is at
 * most once per subscription in the absence of retries; a retry after a timeout may deliver twice. Handlers run on
 * the broker's worker threads ({@link Builder#handlerThreads}), concurrently and in no particular order. A handler
 * that throws is logged with the topic and {@code Micro-Id} and counted in {@link #failedDeliveries()}; the message
 * is not redelivered. {@link Event#ack()} does nothing.
 * <p>
 * The listener binds at the first {@link #subscribe} (a publisher alone opens no port), on
 * {@link Builder#address} ({@value #DEFAULT_ADDRESS}: all interfaces, a random port; go-micro's {@code 127.0.0.1:0}
 * cannot be reached from another host) and registers {@link Builder#advertise}, by default the bound address with a
 * wildcard host replaced as the micro server does ({@link Addresses#advertise}). A registry failure when subscribing
 * or renewing is logged once and retried every second until it works. {@link #close()} (idempotent) deregisters the
 * subscriptions, stops the listener, drops the outbox (logging how many messages were lost) and releases the threads;
 * afterwards publishing and subscribing fail with {@link BrokerException}.
 * <p>
 * <b>Threads.</b> By default the broker owns its threads: handler workers, a registry scheduler, an outbox thread,
 * and the event loops of its listener and of its HTTP client. Given shared ones ({@link Builder#eventLoopGroup},
 * {@link Builder#scheduler}, {@link Builder#executor}, such as a {@link io.micro4j.runtime.MicroRuntime}'s), it uses
 * those instead, cancels only its own tasks on close and never shuts them down.
 */
public final class HttpBroker implements Broker, BrokerCounters {

	/** The registry service subscriptions register under: {@value}. */
	public static final String SERVICE = "micro.http.broker";

	/** The version of subscriptions without a queue: {@value}. */
	public static final String BROADCAST_VERSION = "ff.http.broadcast";

	/** The TTL of a subscription's registration, as go-micro: 1 minute. */
	public static final Duration REGISTER_TTL = Duration.ofMinutes(1);

	/** How often a subscription's registration is renewed, as go-micro: every 30 seconds. */
	public static final Duration REGISTER_INTERVAL = Duration.ofSeconds(30);

	/** The default listen address: {@value} (all interfaces, random port). */
	public static final String DEFAULT_ADDRESS = ":0";

	/** The default number of failed deliveries waiting for a retry: {@value}. */
	public static final int DEFAULT_OUTBOX_SIZE = 10_000;

	/** The default first retry delay: 100 ms. */
	public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(100);

	/** The default longest retry delay: 5 seconds. */
	public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofSeconds(5);

	/** The default time a delivery is retried for: 1 minute (the registration TTL of a vanished subscriber). */
	public static final Duration DEFAULT_RETRY_TIMEOUT = Duration.ofMinutes(1);

	/** The default timeout of one POST, connecting included: 5 seconds. */
	public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(5);

	/** The default number of POSTs in flight at once: {@value}. */
	public static final int DEFAULT_MAX_IN_FLIGHT = 64;

	/** The default number of received messages waiting for a handler thread: {@value}. */
	public static final int DEFAULT_HANDLER_QUEUE_SIZE = 10_000;

	/** How soon a failed registration is tried again. */
	static final Duration REGISTER_RETRY = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(HttpBroker.class);

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private static final Metadata POST_HEADERS = Metadata.of("Content-Type", "application/json");

	private static final TransportResponse ACCEPTED = new TransportResponse(200, Metadata.empty(), new byte[0]);

	private final Registry registry;

	private final RegistryCache cache;

	private final String listenAddress;

	private final ConnectionLimits listenerLimits;

	private final @Nullable Supplier<TlsOptions> listenerTls;

	private final @Nullable String advertiseOverride;

	private final int outboxSize;

	private final long retryBackoffNanos;

	private final long maxRetryBackoffNanos;

	private final long retryTimeoutNanos;

	private final Duration sendTimeout;

	private final Semaphore inFlight;

	private final HttpTransportClient client;

	private final ExecutorService workers;

	private final boolean ownsWorkers;

	private final ScheduledExecutorService scheduler;

	private final ScheduledExecutorService outboxThread;

	private final boolean ownsSchedulers;

	private final @Nullable EventLoopGroup eventLoopGroup;

	private final Map<String, HttpSubscription> subscriptions = new ConcurrentHashMap<>();

	private final ArrayDeque<Delivery> outbox = new ArrayDeque<>();

	private final Set<String> failingAddresses = ConcurrentHashMap.newKeySet();

	private final AtomicLong failedDeliveries = new AtomicLong();

	private final AtomicLong retriedDeliveries = new AtomicLong();

	private final AtomicLong droppedMessages = new AtomicLong();

	/** Deliveries not settled yet (being fanned out, in flight, waiting in the outbox), for {@link #flush}. */
	private final AtomicInteger unsettled = new AtomicInteger();

	private final AtomicBoolean invalidEnvelopeLogged = new AtomicBoolean();

	private final AtomicBoolean registryFailureLogged = new AtomicBoolean();

	private @Nullable HttpTransportServer listener;

	private volatile String advertised = "";

	private @Nullable ScheduledFuture<?> renewal;

	private @Nullable ScheduledFuture<?> registerRetry;

	private @Nullable ScheduledFuture<?> pump;

	private boolean overflowing;

	private volatile boolean closed;

	private HttpBroker(Builder builder) {
		this.registry = builder.registry;
		this.cache = RegistryCache.builder(builder.registry).scheduler(builder.scheduler).build();
		this.eventLoopGroup = builder.eventLoopGroup;
		this.listenAddress = builder.address;
		this.listenerLimits = builder.listenerLimits;
		this.listenerTls = builder.listenerTls;
		this.advertiseOverride = builder.advertise;
		this.outboxSize = builder.outboxSize;
		this.retryBackoffNanos = builder.retryBackoff.toNanos();
		this.maxRetryBackoffNanos = builder.maxRetryBackoff.toNanos();
		this.retryTimeoutNanos = builder.retryTimeout.toNanos();
		this.sendTimeout = builder.sendTimeout;
		this.inFlight = new Semaphore(builder.maxInFlight);
		this.client = HttpTransportClient.builder()
			.dialTimeout(builder.sendTimeout)
			.poolSize(builder.maxInFlight)
			.ioThreads(1)
			.eventLoopGroup(builder.eventLoopGroup)
			.resolverExecutor(builder.executor)
			.tls(builder.clientTls)
			.build();
		int instance = INSTANCES.incrementAndGet();
		if (builder.executor != null) {
			this.workers = builder.executor;
			this.ownsWorkers = false;
		}
		else {
			AtomicInteger workerThreads = new AtomicInteger();
			ThreadPoolExecutor pool = new ThreadPoolExecutor(builder.handlerThreads, builder.handlerThreads, 30,
					TimeUnit.SECONDS, new ArrayBlockingQueue<>(builder.handlerQueueSize),
					daemon("micro-http-broker-" + instance + "-handler-", workerThreads));
			pool.allowCoreThreadTimeOut(true);
			this.workers = pool;
			this.ownsWorkers = true;
		}
		if (builder.scheduler != null) {
			this.scheduler = builder.scheduler;
			this.outboxThread = builder.scheduler;
			this.ownsSchedulers = false;
		}
		else {
			ScheduledThreadPoolExecutor registryScheduler = new ScheduledThreadPoolExecutor(1,
					daemon("micro-http-broker-" + instance + "-registry", null));
			registryScheduler.setRemoveOnCancelPolicy(true);
			this.scheduler = registryScheduler;
			ScheduledThreadPoolExecutor outbox = new ScheduledThreadPoolExecutor(1,
					daemon("micro-http-broker-" + instance + "-outbox", null));
			outbox.setRemoveOnCancelPolicy(true);
			this.outboxThread = outbox;
			this.ownsSchedulers = true;
		}
	}

	/** A builder of a broker whose subscriptions register in {@code registry} (which it does not close). */
	public static Builder builder(Registry registry) {
		return new Builder(registry);
	}

	@Override
	public String name() {
		return "http";
	}

	/** The {@code host:port} subscriptions register; empty until the first subscription binds the listener. */
	@Override
	public String address() {
		return this.advertised;
	}

	/**
	 * Sends {@code message} to every subscriber of {@code topic} without a queue and to one member of each queue
	 * group, as the registry cache knows them; without subscribers the message is dropped. Returns once each
	 * delivery is on its way (waiting while {@link Builder#maxInFlight} are in flight); failures are retried from
	 * the outbox. When the registry cannot be read and was never read, the whole message waits in the outbox.
	 * @throws BrokerException if the broker is closed
	 */
	@Override
	public void publish(String topic, Message message) {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(message, "message");
		ensureOpen();
		Delivery delivery = new Delivery(topic, Envelope.encode(message), message.headers().getOrNull("Micro-Id"),
				null, System.nanoTime());
		this.unsettled.incrementAndGet();
		try {
			fanOut(delivery);
		}
		finally {
			this.unsettled.decrementAndGet();
		}
	}

	/**
	 * Waits until every delivery of the messages published so far is settled: answered by its subscriber, or given
	 * up (see {@link #droppedMessages()}). A process that exits right after {@link #publish} loses the message unless
	 * it flushes first (as with go-micro, whose http broker posts from a goroutine).
	 * @return {@code true} when nothing is in flight or waiting for a retry; {@code false} when something still is
	 * after {@code timeout}
	 */
	public boolean flush(Duration timeout) {
		long deadline = System.nanoTime() + Arguments.nonNegative("timeout", timeout).toNanos();
		while (this.unsettled.get() > 0) {
			if (System.nanoTime() - deadline >= 0) {
				return false;
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	/**
	 * Subscribes {@code handler} to {@code topic}: binds the listener if this is the first subscription and
	 * registers the subscription's node. A registry failure is logged and the registration retried; the
	 * subscription is returned all the same.
	 * @throws BrokerException if the broker is closed or the listener cannot bind its address
	 */
	@Override
	public Subscription subscribe(String topic, BrokerHandler handler, SubscribeOptions options) {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(handler, "handler");
		Objects.requireNonNull(options, "options");
		String address = listen();
		String id = topic + "-" + UUID.randomUUID();
		Node node = new Node(id, address,
				Map.of("broker", "http", "secure", String.valueOf(this.listenerTls != null), "topic", topic));
		String version = options.queueName().orElse(BROADCAST_VERSION);
		HttpSubscription subscription = new HttpSubscription(id, topic, options.queue(), handler,
				Service.of(SERVICE, version, List.of(node)));
		this.subscriptions.put(id, subscription);
		if (this.closed) {
			this.subscriptions.remove(id);
			throw closedException();
		}
		register(subscription);
		return subscription;
	}

	/**
	 * The nodes subscribed to {@code topic} (every version) as this broker's registry cache sees them now, which is
	 * what {@link #publish} sends to.
	 * @return the nodes; empty when there are none or the registry cannot be read
	 */
	public List<Node> subscriberNodes(String topic) {
		Objects.requireNonNull(topic, "topic");
		List<Node> nodes = new ArrayList<>();
		try {
			for (Service service : this.cache.getService(SERVICE)) {
				for (Node node : service.nodes()) {
					if (topic.equals(node.metadata().get("topic"))) {
						nodes.add(node);
					}
				}
			}
		}
		catch (RuntimeException ex) {
			return List.of();
		}
		return nodes;
	}

	/** How many received messages ended with the handler throwing, since the broker was created. */
	public long failedDeliveries() {
		return this.failedDeliveries.get();
	}

	/** How many deliveries were retried from the outbox, since the broker was created. */
	public long retriedDeliveries() {
		return this.retriedDeliveries.get();
	}

	/**
	 * How many deliveries were given up, since the broker was created: dropped from a full outbox, retried for
	 * longer than the retry timeout, refused by the subscriber with a 4xx, or pending when the broker closed.
	 */
	public long droppedMessages() {
		return this.droppedMessages.get();
	}

	/**
	 * The counters {@value BrokerCounters#DELIVERIES_FAILED} ({@link #failedDeliveries()}),
	 * {@value BrokerCounters#DELIVERIES_RETRIED} ({@link #retriedDeliveries()}) and
	 * {@value BrokerCounters#MESSAGES_DROPPED} ({@link #droppedMessages()}).
	 */
	@Override
	public Map<String, LongSupplier> counters() {
		return Map.of(DELIVERIES_FAILED, this.failedDeliveries::get, DELIVERIES_RETRIED, this.retriedDeliveries::get,
				MESSAGES_DROPPED, this.droppedMessages::get);
	}

	/** How many failed deliveries are waiting in the outbox now. */
	public int pendingRetries() {
		synchronized (this.outbox) {
			return this.outbox.size();
		}
	}

	@Override
	public void close() {
		List<HttpSubscription> active;
		HttpTransportServer server;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			cancel(this.renewal);
			cancel(this.registerRetry);
			active = new ArrayList<>(this.subscriptions.values());
			this.subscriptions.clear();
			server = this.listener;
		}
		for (HttpSubscription subscription : active) {
			subscription.deregister();
		}
		if (server != null) {
			server.stop(Duration.ofSeconds(1));
		}
		if (this.ownsSchedulers) {
			this.scheduler.shutdownNow();
			this.outboxThread.shutdownNow();
		}
		int pending;
		synchronized (this.outbox) {
			cancel(this.pump);
			this.pump = null;
			pending = this.outbox.size();
			this.outbox.clear();
			this.unsettled.addAndGet(-pending);
		}
		this.client.close();
		if (this.ownsWorkers) {
			this.workers.shutdown();
			try {
				if (!this.workers.awaitTermination(2, TimeUnit.SECONDS)) {
					this.workers.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				this.workers.shutdownNow();
				Thread.currentThread().interrupt();
			}
		}
		this.cache.close();
		if (pending > 0) {
			this.droppedMessages.addAndGet(pending);
			logger.warn("HTTP broker closed with {} undelivered message(s) in its outbox; they are lost", pending);
		}
	}

	@Override
	public String toString() {
		return "HttpBroker[" + (this.advertised.isEmpty() ? this.listenAddress : this.advertised) + "]";
	}

	// ---- publishing

	/** Sends a message to every current target of its topic; a failed registry lookup parks it in the outbox. */
	private void fanOut(Delivery delivery) {
		List<Service> services;
		try {
			services = this.cache.getService(SERVICE);
		}
		catch (RuntimeException ex) {
			retryLater(delivery, "registry lookup failed: " + ex.getMessage());
			return;
		}
		for (Service service : services) {
			List<Node> nodes = nodesOf(service, delivery.topic);
			if (nodes.isEmpty()) {
				continue;
			}
			if (BROADCAST_VERSION.equals(service.version())) {
				for (Node node : nodes) {
					send(delivery.to(node.id(), null), node);
				}
			}
			else {
				Node node = nodes.get(ThreadLocalRandom.current().nextInt(nodes.size()));
				send(delivery.to(null, service.version()), node);
			}
		}
	}

	private static List<Node> nodesOf(Service service, String topic) {
		List<Node> nodes = new ArrayList<>(service.nodes().size());
		for (Node node : service.nodes()) {
			if (topic.equals(node.metadata().get("topic"))) {
				nodes.add(node);
			}
		}
		return nodes;
	}

	/** POSTs the envelope to {@code node}; waits for an in-flight slot first. */
	private void send(Delivery delivery, Node node) {
		try {
			this.inFlight.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			retryLater(delivery, "interrupted before sending");
			return;
		}
		String target = "/?id=" + URLEncoder.encode(node.id(), StandardCharsets.UTF_8);
		this.unsettled.incrementAndGet();
		CompletableFuture<TransportResponse> sent;
		try {
			sent = this.client.send(node, new TransportRequest(POST_HEADERS, delivery.envelope, target),
					this.sendTimeout);
		}
		catch (RuntimeException ex) {
			sent = CompletableFuture.failedFuture(ex);
		}
		sent.whenComplete((response, failure) -> {
			this.inFlight.release();
			try {
				sent(delivery, node, response, failure);
			}
			finally {
				this.unsettled.decrementAndGet();
			}
		});
	}

	private void sent(Delivery delivery, Node node, @Nullable TransportResponse response,
			@Nullable Throwable failure) {
		int status = (response != null) ? response.status() : 0;
		if (failure == null && status >= 200 && status < 300) {
			if (this.failingAddresses.remove(node.address())) {
				logger.info("HTTP broker delivers to {} again", node.address());
			}
			return;
		}
		if (failure == null && status >= 400 && status < 500) {
			this.droppedMessages.incrementAndGet();
			logger.debug("Subscriber {} at {} refused message {} of {} with {}: dropped", node.id(), node.address(),
					delivery.messageId, delivery.topic, status);
			return;
		}
		String reason = (failure != null) ? describe(failure) : "status " + status;
		if (this.failingAddresses.add(node.address()) && !this.closed) {
			logger.warn("HTTP broker cannot deliver to {} ({}); retrying from the outbox", node.address(), reason);
		}
		retryLater(delivery, reason);
	}

	/** Parks a failed delivery in the outbox with its next back-off, or gives it up. */
	private void retryLater(Delivery delivery, String reason) {
		if (this.closed) {
			this.droppedMessages.incrementAndGet();
			return;
		}
		long now = System.nanoTime();
		if (now - delivery.firstAttemptNanos > this.retryTimeoutNanos) {
			this.droppedMessages.incrementAndGet();
			logger.warn("HTTP broker gave up message {} of topic {} after {}: {}", delivery.messageId, delivery.topic,
					Duration.ofNanos(this.retryTimeoutNanos), reason);
			return;
		}
		Delivery retry = delivery.next(now + backoffNanos(delivery.attempt + 1));
		Delivery dropped = null;
		synchronized (this.outbox) {
			if (this.outbox.size() >= this.outboxSize) {
				dropped = this.outbox.pollFirst();
				if (!this.overflowing) {
					this.overflowing = true;
					logger.warn("HTTP broker outbox is full ({} messages): dropping the oldest to make room",
							this.outboxSize);
				}
			}
			this.outbox.addLast(retry);
			this.unsettled.incrementAndGet();
			schedulePump(retry.dueNanos - now);
		}
		if (dropped != null) {
			this.unsettled.decrementAndGet();
			this.droppedMessages.incrementAndGet();
		}
	}

	private long backoffNanos(int attempt) {
		long delay = this.retryBackoffNanos << Math.min(attempt - 1, 30);
		if (delay <= 0 || delay > this.maxRetryBackoffNanos) {
			delay = this.maxRetryBackoffNanos;
		}
		// jitter: 75 % to 100 %, so retries of many messages spread out
		return delay - ThreadLocalRandom.current().nextLong(delay / 4 + 1);
	}

	/** Called with the outbox lock held. */
	private void schedulePump(long delayNanos) {
		if (this.pump != null || this.closed) {
			return;
		}
		try {
			this.pump = this.outboxThread.schedule(this::pumpOutbox, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closing
		}
	}

	/** Sends every delivery that is due, then sleeps until the next one is. Runs on the outbox thread. */
	private void pumpOutbox() {
		List<Delivery> due = new ArrayList<>();
		synchronized (this.outbox) {
			this.pump = null;
			long now = System.nanoTime();
			long next = Long.MAX_VALUE;
			for (Iterator<Delivery> it = this.outbox.iterator(); it.hasNext();) {
				Delivery delivery = it.next();
				if (delivery.dueNanos - now <= 0) {
					due.add(delivery);
					it.remove();
				}
				else {
					next = Math.min(next, delivery.dueNanos - now);
				}
			}
			if (this.outbox.isEmpty()) {
				this.overflowing = false;
			}
			else {
				schedulePump(next);
			}
		}
		for (Delivery delivery : due) {
			try {
				if (this.closed) {
					this.droppedMessages.incrementAndGet();
					continue;
				}
				this.retriedDeliveries.incrementAndGet();
				retry(delivery);
			}
			finally {
				this.unsettled.decrementAndGet();
			}
		}
	}

	private void retry(Delivery delivery) {
		if (delivery.nodeId == null && delivery.group == null) {
			fanOut(delivery);
			return;
		}
		List<Service> services;
		try {
			services = this.cache.getService(SERVICE);
		}
		catch (RuntimeException ex) {
			retryLater(delivery, "registry lookup failed: " + ex.getMessage());
			return;
		}
		List<Node> candidates = new ArrayList<>();
		for (Service service : services) {
			for (Node node : nodesOf(service, delivery.topic)) {
				if ((delivery.nodeId != null) ? node.id().equals(delivery.nodeId)
						: service.version().equals(delivery.group)) {
					candidates.add(node);
				}
			}
		}
		if (candidates.isEmpty()) {
			if (delivery.nodeId != null) {
				// the subscriber deregistered: nobody is left to deliver to
				this.droppedMessages.incrementAndGet();
				logger.debug("Subscriber {} left before message {} of {} could be delivered", delivery.nodeId,
						delivery.messageId, delivery.topic);
			}
			else {
				retryLater(delivery, "queue group " + delivery.group + " has no members");
			}
			return;
		}
		send(delivery, candidates.get(ThreadLocalRandom.current().nextInt(candidates.size())));
	}

	// ---- subscribing

	/** Binds the listener on the first call; returns the advertised address. */
	private synchronized String listen() {
		ensureOpen();
		if (this.listener != null) {
			return this.advertised;
		}
		HttpTransportServer server = HttpTransportServer.builder()
			.address(this.listenAddress)
			.limits(this.listenerLimits)
			.eventLoopGroup(this.eventLoopGroup)
			.tls(this.listenerTls)
			.build();
		InetSocketAddress bound;
		try {
			bound = server.start(this::receive);
		}
		catch (IllegalStateException ex) {
			throw new BrokerException("http broker cannot listen on " + this.listenAddress + ": " + ex.getMessage(),
					ex);
		}
		this.listener = server;
		this.advertised = (this.advertiseOverride != null) ? this.advertiseOverride : Addresses.advertise(bound);
		long interval = REGISTER_INTERVAL.toNanos();
		this.renewal = this.scheduler.scheduleWithFixedDelay(this::renewAll, interval, interval,
				TimeUnit.NANOSECONDS);
		logger.info("HTTP broker listening on {}, subscribers registered at {}", bound, this.advertised);
		return this.advertised;
	}

	private void register(HttpSubscription subscription) {
		try {
			this.registry.register(subscription.service, REGISTER_TTL);
			subscription.registered = true;
			if (this.registryFailureLogged.compareAndSet(true, false)) {
				logger.info("HTTP broker registers its subscribers again");
			}
		}
		catch (RuntimeException ex) {
			subscription.registered = false;
			if (this.registryFailureLogged.compareAndSet(false, true)) {
				logger.warn("HTTP broker cannot register subscriber {} ({}); retrying every {}", subscription.id,
						ex.getMessage(), REGISTER_RETRY);
			}
			scheduleRegisterRetry();
		}
	}

	private synchronized void scheduleRegisterRetry() {
		if (this.closed || (this.registerRetry != null && !this.registerRetry.isDone())) {
			return;
		}
		try {
			this.registerRetry = this.scheduler.schedule(this::registerPending, REGISTER_RETRY.toNanos(),
					TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closing
		}
	}

	private void registerPending() {
		for (HttpSubscription subscription : this.subscriptions.values()) {
			if (!subscription.registered && !subscription.closed) {
				register(subscription);
			}
		}
	}

	private void renewAll() {
		for (HttpSubscription subscription : this.subscriptions.values()) {
			if (!subscription.closed) {
				register(subscription);
			}
		}
	}

	// ---- receiving

	/** The listener's handler, on an I/O thread: decode, queue for a worker, answer. */
	private CompletableFuture<TransportResponse> receive(TransportRequest request, InetSocketAddress local,
			InetSocketAddress remote) {
		String id = queryParameter(request.target(), "id");
		if (id == null || id.isEmpty()) {
			return answer(400, MicroException.badRequest(Envelope.ERROR_ID,
					"broker request has no subscriber id (expected: POST /?id=<node id>)"), remote);
		}
		HttpSubscription subscription = this.subscriptions.get(id);
		if (subscription == null || subscription.closed) {
			return answer(404, MicroException.notFound(Envelope.ERROR_ID, "no subscriber %q here", id), null);
		}
		Message message;
		try {
			message = Envelope.decode(request.body());
		}
		catch (InvalidEnvelopeException ex) {
			return answer(400, ex, remote);
		}
		try {
			this.workers.execute(() -> subscription.deliver(message));
		}
		catch (RejectedExecutionException ex) {
			return answer(503, MicroException.serviceUnavailable(Envelope.ERROR_ID,
					"subscriber %q is busy (handler queue full)", id), null);
		}
		return CompletableFuture.completedFuture(ACCEPTED);
	}

	private CompletableFuture<TransportResponse> answer(int status, MicroException error,
			@Nullable InetSocketAddress logFor) {
		if (logFor != null) {
			if (this.invalidEnvelopeLogged.compareAndSet(false, true)) {
				logger.warn("HTTP broker rejected a request from {}: {} (logged once)", logFor, error.detail());
			}
			else {
				logger.debug("HTTP broker rejected a request from {}: {}", logFor, error.detail());
			}
		}
		byte[] body = error.toJson().getBytes(StandardCharsets.UTF_8);
		return CompletableFuture.completedFuture(
				new TransportResponse(status, Metadata.of("Content-Type", "application/json"), body));
	}

	/** The first value of query parameter {@code name} in a request target, URL-decoded; null if absent. */
	static @Nullable String queryParameter(String target, String name) {
		int query = target.indexOf('?');
		if (query < 0) {
			return null;
		}
		int fragment = target.indexOf('#', query);
		String params = target.substring(query + 1, (fragment >= 0) ? fragment : target.length());
		for (String pair : params.split("&")) {
			int eq = pair.indexOf('=');
			String key = (eq >= 0) ? pair.substring(0, eq) : pair;
			try {
				if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
					return (eq >= 0) ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "";
				}
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}
		return null;
	}

	// ---- helpers

	private void ensureOpen() {
		if (this.closed) {
			throw closedException();
		}
	}

	private static BrokerException closedException() {
		return new BrokerException("http broker is closed");
	}

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

	private static String describe(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && !(cause instanceof MicroException)) {
			cause = cause.getCause();
		}
		return (cause instanceof MicroException micro) ? micro.detail() : cause.toString();
	}

	private static java.util.concurrent.ThreadFactory daemon(String prefix, @Nullable AtomicInteger counter) {
		return runnable -> {
			Thread thread = new Thread(runnable, (counter != null) ? prefix + counter.incrementAndGet() : prefix);
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * One message on its way: to a node ({@code nodeId}), to a queue group ({@code group}), or, when neither is set,
	 * to every subscriber (the registry lookup failed).
	 */
	private static final class Delivery {

		final String topic;

		final byte[] envelope;

		final @Nullable String messageId;

		final @Nullable String nodeId;

		final @Nullable String group;

		final long firstAttemptNanos;

		final int attempt;

		final long dueNanos;

		Delivery(String topic, byte[] envelope, @Nullable String messageId, @Nullable String nodeId,
				long firstAttemptNanos) {
			this(topic, envelope, messageId, nodeId, null, firstAttemptNanos, 0, firstAttemptNanos);
		}

		private Delivery(String topic, byte[] envelope, @Nullable String messageId, @Nullable String nodeId,
				@Nullable String group, long firstAttemptNanos, int attempt, long dueNanos) {
			this.topic = topic;
			this.envelope = envelope;
			this.messageId = messageId;
			this.nodeId = nodeId;
			this.group = group;
			this.firstAttemptNanos = firstAttemptNanos;
			this.attempt = attempt;
			this.dueNanos = dueNanos;
		}

		Delivery to(@Nullable String nodeId, @Nullable String group) {
			return new Delivery(this.topic, this.envelope, this.messageId, nodeId, group, this.firstAttemptNanos,
					this.attempt, this.dueNanos);
		}

		Delivery next(long dueNanos) {
			return new Delivery(this.topic, this.envelope, this.messageId, this.nodeId, this.group,
					this.firstAttemptNanos, this.attempt + 1, dueNanos);
		}

	}

	private record HttpEvent(String topic, Message message) implements Event {

		@Override
		public void ack() {
		}

	}

	private final class HttpSubscription implements Subscription {

		final String id;

		final String topic;

		final @Nullable String queue;

		final BrokerHandler handler;

		final Service service;

		volatile boolean registered;

		volatile boolean closed;

		HttpSubscription(String id, String topic, @Nullable String queue, BrokerHandler handler, Service service) {
			this.id = id;
			this.topic = topic;
			this.queue = queue;
			this.handler = handler;
			this.service = service;
		}

		@Override
		public String topic() {
			return this.topic;
		}

		@Override
		public Optional<String> queue() {
			return Optional.ofNullable(this.queue);
		}

		void deliver(Message message) {
			if (this.closed) {
				return;
			}
			if (!Handlers.deliver(this.handler, new HttpEvent(this.topic, message), logger)) {
				HttpBroker.this.failedDeliveries.incrementAndGet();
			}
		}

		void deregister() {
			this.closed = true;
			try {
				HttpBroker.this.registry.deregister(this.service);
			}
			catch (RuntimeException ex) {
				logger.warn("HTTP broker cannot deregister subscriber {}: {}", this.id, ex.getMessage());
			}
		}

		@Override
		public void close() {
			if (this.closed) {
				return;
			}
			HttpBroker.this.subscriptions.remove(this.id);
			deregister();
		}

	}

	/** Builds an {@link HttpBroker}; each option is checked when set. */
	public static final class Builder {

		private final Registry registry;

		private String address = DEFAULT_ADDRESS;

		private @Nullable String advertise;

		private int outboxSize = DEFAULT_OUTBOX_SIZE;

		private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;

		private Duration maxRetryBackoff = DEFAULT_MAX_RETRY_BACKOFF;

		private Duration retryTimeout = DEFAULT_RETRY_TIMEOUT;

		private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

		private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;

		private int handlerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());

		private int handlerQueueSize = DEFAULT_HANDLER_QUEUE_SIZE;

		private ConnectionLimits listenerLimits = ConnectionLimits.defaults();

		private @Nullable Supplier<TlsOptions> listenerTls;

		private Supplier<TlsOptions> clientTls = TlsOptions::defaults;

		private @Nullable EventLoopGroup eventLoopGroup;

		private @Nullable ScheduledExecutorService scheduler;

		private @Nullable ExecutorService executor;

		private Builder(Registry registry) {
			this.registry = Objects.requireNonNull(registry, "registry");
		}

		/**
		 * The listen address {@code host:port}; {@value HttpBroker#DEFAULT_ADDRESS} (default) is all interfaces, a
		 * random port.
		 * @throws IllegalArgumentException when it is not {@code host:port}
		 */
		public Builder address(String address) {
			HttpTransportServer.builder().address(Objects.requireNonNull(address, "address"));
			this.address = address;
			return this;
		}

		/**
		 * The {@code host:port} to register instead of the bound address (NAT, containers); {@code null} (default)
		 * registers the bound address, a wildcard host replaced by this host's first private IPv4 address.
		 * @throws IllegalArgumentException when blank
		 */
		public Builder advertise(@Nullable String advertise) {
			if (advertise != null && advertise.isBlank()) {
				throw new IllegalArgumentException("advertise: \"" + advertise + "\" (expected: host:port or null)");
			}
			this.advertise = advertise;
			return this;
		}

		/**
		 * How many failed deliveries wait for a retry at most, {@value HttpBroker#DEFAULT_OUTBOX_SIZE} by default;
		 * beyond that the oldest is dropped.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder outboxSize(int outboxSize) {
			this.outboxSize = Arguments.positive("outboxSize", outboxSize);
			return this;
		}

		/**
		 * The delay before the first retry of a failed delivery, doubling for each further one; 100 ms by default.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder retryBackoff(Duration retryBackoff) {
			this.retryBackoff = Arguments.positive("retryBackoff", retryBackoff);
			return this;
		}

		/**
		 * The longest delay between retries, 5 seconds by default.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder maxRetryBackoff(Duration maxRetryBackoff) {
			this.maxRetryBackoff = Arguments.positive("maxRetryBackoff", maxRetryBackoff);
			return this;
		}

		/**
		 * How long after its first attempt a delivery is retried at most, 1 minute by default.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder retryTimeout(Duration retryTimeout) {
			this.retryTimeout = Arguments.positive("retryTimeout", retryTimeout);
			return this;
		}

		/**
		 * The timeout of one POST to a subscriber, connecting included; 5 seconds by default.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder sendTimeout(Duration sendTimeout) {
			this.sendTimeout = Arguments.positive("sendTimeout", sendTimeout);
			return this;
		}

		/**
		 * How many POSTs may be in flight at once, {@value HttpBroker#DEFAULT_MAX_IN_FLIGHT} by default;
		 * {@code publish} waits for a free slot.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder maxInFlight(int maxInFlight) {
			this.maxInFlight = Arguments.positive("maxInFlight", maxInFlight);
			return this;
		}

		/**
		 * The threads that run handlers, by default the number of processors (at least 2).
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder handlerThreads(int handlerThreads) {
			this.handlerThreads = Arguments.positive("handlerThreads", handlerThreads);
			return this;
		}

		/**
		 * How many received messages may wait for a handler thread, {@value HttpBroker#DEFAULT_HANDLER_QUEUE_SIZE}
		 * by default; beyond that the listener answers 503 and the publisher retries.
		 * @throws IllegalArgumentException when not positive
		 */
		public Builder handlerQueueSize(int handlerQueueSize) {
			this.handlerQueueSize = Arguments.positive("handlerQueueSize", handlerQueueSize);
			return this;
		}

		/**
		 * The timeouts and connection limit of the listener that receives messages,
		 * {@link ConnectionLimits#defaults()} by default: publishers' idle connections are closed after 90 s, longer
		 * than the broker's own client keeps them (1 minute).
		 */
		public Builder listenerLimits(ConnectionLimits listenerLimits) {
			this.listenerLimits = Objects.requireNonNull(listenerLimits, "listenerLimits");
			return this;
		}

		/**
		 * Whether the listener speaks TLS only, with the options {@code listenerTls} gives for each new connection
		 * (they need a certificate; see {@link HttpTransportServer.Builder#tls(Supplier)}); subscriptions then
		 * register {@code secure=true}. {@code null} (default): plaintext, {@code secure=false}.
		 */
		public Builder listenerTls(@Nullable Supplier<TlsOptions> listenerTls) {
			this.listenerTls = listenerTls;
			return this;
		}

		/**
		 * The TLS options for delivering to subscribers that registered {@code secure=true}: trust, and a client
		 * certificate for listeners that ask for one; read for each new connection. {@link TlsOptions#defaults()}
		 * by default.
		 */
		public Builder clientTls(Supplier<TlsOptions> clientTls) {
			this.clientTls = Objects.requireNonNull(clientTls, "clientTls");
			return this;
		}

		/**
		 * A shared event loop group for the listener and the HTTP client; the broker never shuts it down.
		 * {@code null} (default): the listener and the client create their own.
		 */
		public Builder eventLoopGroup(@Nullable EventLoopGroup eventLoopGroup) {
			this.eventLoopGroup = eventLoopGroup;
			return this;
		}

		/**
		 * A shared timer for registration renewals, registration retries, outbox retries and the registry cache's
		 * re-watches; the broker cancels its own tasks on close and never shuts it down. {@code null} (default): two
		 * threads owned by the broker.
		 */
		public Builder scheduler(@Nullable ScheduledExecutorService scheduler) {
			this.scheduler = scheduler;
			return this;
		}

		/**
		 * A shared executor for handlers (and host name lookups), instead of the broker's own
		 * {@link #handlerThreads(int)} and {@link #handlerQueueSize(int)}; when it rejects a message the listener
		 * answers 503 and the publisher retries. The broker never shuts it down. {@code null} (default): the broker's
		 * own pool.
		 */
		public Builder executor(@Nullable ExecutorService executor) {
			this.executor = executor;
			return this;
		}

		/**
		 * A new broker; it binds no port until the first subscription.
		 * @throws IllegalArgumentException when {@code maxRetryBackoff} is shorter than {@code retryBackoff}
		 */
		public HttpBroker build() {
			if (this.maxRetryBackoff.compareTo(this.retryBackoff) < 0) {
				throw new IllegalArgumentException("maxRetryBackoff: " + this.maxRetryBackoff
						+ " (expected: >= retryBackoff " + this.retryBackoff + ")");
			}
			return new HttpBroker(this);
		}

	}

}
