package io.micro4j.server;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micro4j.broker.Broker;
import io.micro4j.broker.Event;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.Subscription;
import io.micro4j.codec.Codec;
import io.micro4j.codec.CodecException;
import io.micro4j.codec.Codecs;
import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.MicroException;
import io.micro4j.internal.Arguments;
import io.micro4j.internal.LogSafe;
import io.micro4j.metadata.CallContext;
import io.micro4j.metadata.Metadata;
import io.micro4j.observation.DefaultReceiveConvention;
import io.micro4j.observation.DefaultServerCallConvention;
import io.micro4j.observation.MicroObservation;
import io.micro4j.observation.ReceiveContext;
import io.micro4j.observation.ReceiveConvention;
import io.micro4j.observation.ServerCallConvention;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.transport.TransportServer;
import io.micro4j.transport.http.ConnectionLimits;
import io.micro4j.transport.http.HttpTransportServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mucp server. Build with {@link #builder(String)}; the built server keeps an immutable snapshot of the
 * builder's options and never reads the builder again.
 * <p>
 * Requests arrive from the transport on an I/O thread and run on the server's worker executor. The endpoint comes
 * from {@code Micro-Endpoint} (falling back to {@code Micro-Method}), the codec from {@code Content-Type}, the
 * deadline from {@code Timeout} (ns; a value that is not a decimal count is ignored, as go-micro ignores it). The
 * answer echoes every request header and sets {@code Micro-Id}, {@code Micro-Service}, {@code Micro-Method},
 * {@code Micro-Endpoint} and {@code Content-Type}; errors travel in {@code Micro-Error} and {@code X-Micro-Error}
 * with an empty body, as go-micro's server answers. An unknown endpoint is a 404; a body that does not decode, has
 * the wrong shape or is JSON {@code null} is a 400 whose detail names the endpoint and the problem
 * ({@code request body for Greeter.Hello: expected a JSON object, got null}). Bad requests are logged at debug only,
 * with control characters escaped and cut to a few hundred characters.
 * <p>
 * The call pipeline, in order: admission (at most {@link Builder#maxConcurrentCalls(int)} calls in flight, and the
 * per-endpoint limits; over a limit the caller gets a 503 with id {@value FailureClassifier#SERVER_ID} at once),
 * the deadline timer, the worker executor (a full queue is the same 503), the observation, the decoding of the body,
 * the {@link HandlerWrapper}s (the first added is outermost), the handler. When the caller's deadline passes first,
 * the caller gets a 408 at once, the call's {@link io.micro4j.metadata.Cancellation} is cancelled (visible through
 * {@link CallContext#isCancelled()} and {@link ServerRequest#isCancelled()}) and the handler's late result is dropped;
 * the call keeps its slot until the handler returns.
 */
public final class DefaultServer implements Server {

	/** go-micro's library default register interval: 30 seconds. */
	public static final Duration DEFAULT_REGISTER_INTERVAL = Duration.ofSeconds(30);

	/** Default bound on waiting for calls in flight at stop: 10 seconds. */
	public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

	/** Default number of handler threads. */
	public static final int DEFAULT_HANDLER_THREADS = 64;

	/** Default number of calls queued for a handler thread of the server-owned pool. */
	public static final int DEFAULT_MAX_QUEUED_CALLS = 10_000;

	/** Default bound on calls in flight (running or queued) in one server. */
	public static final int DEFAULT_MAX_CONCURRENT_CALLS = 1024;

	/** The tick of the server-owned deadline timer: deadlines fire within about this much after they pass. */
	public static final Duration DEADLINE_TIMER_TICK = Duration.ofMillis(10);

	private static final Logger logger = LoggerFactory.getLogger(DefaultServer.class);

	private enum State {

		NEW, RUNNING, STOPPED

	}

	private final ServerOptions options;

	private final String nodeId;

	private final Map<String, Route> routes = new ConcurrentHashMap<>();

	private final List<Endpoint> endpoints = new ArrayList<>();

	private final List<SubscriberDefinition> subscribers = new ArrayList<>();

	private final List<Subscription> subscriptions = new ArrayList<>();

	private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

	private final CallLimits limits;

	private final Object drainMonitor = new Object();

	private final ServerCallConvention callConvention;

	private final ReceiveConvention receiveConvention;

	private final Registration registration;

	private final Replies replies;

	private @Nullable TransportServer transport;

	private @Nullable ExecutorService executor;

	private boolean ownsExecutor;

	private @Nullable Timer timer;

	private boolean ownsTimer;

	private volatile @Nullable InetSocketAddress bound;

	private volatile Service service;

	private DefaultServer(ServerOptions options) {
		this.options = options;
		this.nodeId = options.nodeId();
		this.limits = new CallLimits(options.maxConcurrentCalls);
		this.callConvention = (options.callConvention != null) ? options.callConvention
				: new DefaultServerCallConvention();
		this.receiveConvention = (options.receiveConvention != null) ? options.receiveConvention
				: new DefaultReceiveConvention();
		this.registration = new Registration(options);
		this.replies = new Replies(options.name, options.codecs.defaultCodec().contentType());
		this.service = buildService("");
	}

	/** A builder for service {@code name}. */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	@Override
	public String name() {
		return this.options.name;
	}

	@Override
	public String nodeId() {
		return this.nodeId;
	}

	@Override
	public synchronized void handle(@Nullable String name, Object handler) {
		requireNew();
		String handlerName = (name != null && !name.isBlank()) ? name
				: HandlerMethod.userClass(handler.getClass()).getSimpleName();
		List<HandlerMethod> methods = HandlerMethod.endpoints(handlerName, handler);
		if (methods.isEmpty()) {
			throw new IllegalArgumentException("handler " + handlerName
					+ " has no endpoints (expected: public methods taking a request and, optionally, Metadata)");
		}
		Set<String> seen = new HashSet<>();
		for (HandlerMethod method : methods) {
			if (this.routes.containsKey(method.endpoint()) || !seen.add(method.endpoint())) {
				throw new IllegalArgumentException("duplicate endpoint " + method.endpoint()
						+ " (overloaded handler methods are not supported)");
			}
		}
		for (HandlerMethod method : methods) {
			this.routes.put(method.endpoint(), route(method));
			this.endpoints.add(method.toEndpoint());
		}
		this.service = buildService("");
	}

	private Route route(HandlerMethod method) {
		HandlerFunction chain = request -> method.invoke(request.body(), request.headers(),
				request.stream().orElse(null));
		List<HandlerWrapper> wrappers = this.options.wrappers;
		for (int i = wrappers.size() - 1; i >= 0; i--) {
			chain = wrappers.get(i).wrap(chain);
		}
		Integer limit = this.options.endpointConcurrencyLimits.get(method.endpoint());
		return new Route(method, chain, (limit != null) ? new CallLimits.Endpoint(method.endpoint(), limit) : null);
	}

	@Override
	public synchronized void subscribe(String topic, @Nullable String queue, Object bean, Method method) {
		requireNew();
		if (this.options.broker == null) {
			throw new IllegalStateException("subscriber on " + topic + " needs a broker (none configured)");
		}
		HandlerMethod handlerMethod = HandlerMethod.subscriber(bean, method);
		SubscriberFunction chain = message -> handlerMethod.invoke(message.payload(), message.headers());
		List<SubscriberWrapper> wrappers = this.options.subscriberWrappers;
		for (int i = wrappers.size() - 1; i >= 0; i--) {
			chain = wrappers.get(i).wrap(chain);
		}
		this.subscribers.add(new SubscriberDefinition(topic, queue, handlerMethod, chain));
		this.service = buildService("");
	}

	@Override
	public synchronized void start() {
		if (!this.state.compareAndSet(State.NEW, State.RUNNING)) {
			throw new IllegalStateException("server " + this.nodeId + " is " + this.state.get().name().toLowerCase()
					+ " (expected: new)");
		}
		try {
			for (String endpoint : this.options.endpointConcurrencyLimits.keySet()) {
				if (!this.routes.containsKey(endpoint)) {
					logger.warn("concurrency limit for {} ignored: no handler serves that endpoint", endpoint);
				}
			}
			this.executor = this.options.executor;
			if (this.executor == null) {
				this.executor = newHandlerExecutor(this.options.handlerThreads);
				this.ownsExecutor = true;
			}
			this.timer = this.options.timer;
			if (this.timer == null) {
				this.timer = new HashedWheelTimer(named("micro-deadline-" + this.options.name),
						DEADLINE_TIMER_TICK.toMillis(), TimeUnit.MILLISECONDS);
				this.ownsTimer = true;
			}
			this.transport = (this.options.transport != null) ? this.options.transport
					: HttpTransportServer.builder()
						.address(this.options.address)
						.limits(this.options.connectionLimits)
						.build();
			CallDispatcher dispatcher = new CallDispatcher(this.options, this.callConvention, this.routes, this.limits,
					this.replies, this.executor, this.timer, this::onIdle);
			InetSocketAddress address = this.transport.start(dispatcher);
			this.bound = address;
			String advertise = (this.options.advertise != null && !this.options.advertise.isBlank())
					? this.options.advertise : Addresses.advertise(address);
			this.service = buildService(advertise);
			subscribeAll();
			RuntimeException pending = this.registration.start(this.service);
			if (pending == null) {
				logger.info("micro server {} listening on {}, registered as {} at {} in the {} registry", this.name(),
						address, this.nodeId, advertise, this.options.registry.name());
			}
			else {
				logger.warn("micro server {} listening on {}; registration as {} at {} in the {} registry pending, "
						+ "retrying in the background: {}", this.name(), address, this.nodeId, advertise,
						this.options.registry.name(), LogSafe.text((pending instanceof MicroException micro)
								? micro.detail() : pending.toString(), 500));
			}
		}
		catch (RuntimeException ex) {
			stop();
			throw ex;
		}
	}

	@Override
	public void stop() {
		State previous = this.state.getAndSet(State.STOPPED);
		if (previous != State.RUNNING) {
			return;
		}
		this.registration.stop();
		for (Subscription subscription : this.subscriptions) {
			try {
				subscription.close();
			}
			catch (RuntimeException ex) {
				logger.warn("unsubscribing from {} failed: {}", subscription.topic(), ex.getMessage());
			}
		}
		this.subscriptions.clear();
		sleep(this.options.deregisterDelay);
		drain(this.options.drainTimeout);
		if (this.transport != null) {
			this.transport.stop(Duration.ofSeconds(1));
		}
		if (this.ownsExecutor && this.executor != null) {
			this.executor.shutdown();
		}
		if (this.ownsTimer && this.timer != null) {
			this.timer.stop();
		}
		logger.info("micro server {} stopped", this.nodeId);
	}

	@Override
	public boolean isRunning() {
		return this.state.get() == State.RUNNING;
	}

	@Override
	public Optional<InetSocketAddress> boundAddress() {
		return Optional.ofNullable(this.bound);
	}

	@Override
	public Service service() {
		return this.service;
	}

	/** Whether the last registration attempt succeeded. */
	public boolean isRegistered() {
		return this.registration.isRegistered();
	}

	/**
	 * Whether a registration has succeeded since the server started: {@code false} while the first one is still
	 * being retried, then {@code true}, also through later registry outages (which the service rides out: its
	 * record lives on in the registry and in its callers' caches).
	 */
	public boolean wasRegistered() {
		return this.registration.wasRegistered();
	}

	/** Calls currently admitted: queued or being handled (including cancelled ones whose handler still runs). */
	public int inFlight() {
		return this.limits.inFlight();
	}

	private void requireNew() {
		if (this.state.get() != State.NEW) {
			throw new IllegalStateException("handlers and subscribers must be added before start");
		}
	}

	private Service buildService(String address) {
		Map<String, String> metadata = new LinkedHashMap<>(this.options.metadata);
		TransportServer t = (this.transport != null) ? this.transport : this.options.transport;
		Map<String, String> transportMetadata = (t != null) ? t.nodeMetadata()
				: Map.of("protocol", "mucp", "server", "mucp", "transport", "http");
		metadata.put("transport", transportMetadata.getOrDefault("transport", "http"));
		metadata.put("broker", (this.options.broker != null) ? this.options.broker.name() : "http");
		metadata.put("server", transportMetadata.getOrDefault("server", "mucp"));
		metadata.put("registry", this.options.registry.name());
		metadata.put("protocol", transportMetadata.getOrDefault("protocol", "mucp"));
		if (transportMetadata.containsKey("secure")) {
			metadata.put("secure", transportMetadata.get("secure"));
		}
		List<Endpoint> all = new ArrayList<>(this.endpoints);
		if (this.transport != null && !address.isEmpty()) {
			// the transport's own services (protobuf services on a shared gRPC server) win their paths
			for (Endpoint served : this.transport.endpoints()) {
				if (all.removeIf((handled) -> handled.name().equals(served.name()))) {
					logger.warn("endpoint {} of a handler is shadowed by the transport's service of the same name; "
							+ "calls to it reach that service", served.name());
				}
				all.add(served);
			}
		}
		for (SubscriberDefinition subscriber : this.subscribers) {
			all.add(subscriber.method().toSubscriberEndpoint(subscriber.topic()));
		}
		Node node = new Node(this.nodeId, address, metadata);
		return new Service(this.options.name, this.options.version, Map.of(), all,
				address.isEmpty() ? List.of() : List.of(node));
	}

	private void subscribeAll() {
		Broker broker = this.options.broker;
		if (broker == null) {
			return;
		}
		for (SubscriberDefinition subscriber : this.subscribers) {
			SubscribeOptions subscribeOptions = new SubscribeOptions(subscriber.queue(), true);
			this.subscriptions.add(broker.subscribe(subscriber.topic(),
					event -> receive(subscriber, event), subscribeOptions));
		}
	}

	private void receive(SubscriberDefinition subscriber, Event event) throws Exception {
		Metadata headers = event.message().headers();
		ReceiveContext context = new ReceiveContext(event.topic(),
				(subscriber.queue() != null) ? subscriber.queue() : "", Objects.requireNonNull(this.options.broker).name(),
				headers);
		Observation observation = MicroObservation.RECEIVE.observation(this.receiveConvention,
				new DefaultReceiveConvention(), () -> context, this.options.observationRegistry);
		observation.start();
		try (Observation.Scope scope = observation.openScope();
				CallContext.Scope call = CallContext.of(headers, null).makeCurrent()) {
			String contentType = headers.get("Content-Type").orElse(this.options.codecs.defaultCodec().contentType());
			Codec codec = this.options.codecs.forContentType(contentType)
				.orElseThrow(() -> new CodecException(415, "unsupported Content-Type: " + contentType));
			Object payload = codec.decode(event.message().body(), subscriber.method().requestType());
			if (payload == null) {
				throw new CodecException(400, "message on " + event.topic() + " for " + subscriber.method().endpoint()
						+ ": expected a payload, got null");
			}
			subscriber.chain().handle(new SubscriberMessage(event.topic(), subscriber.queue(), contentType, headers,
					payload));
		}
		catch (Exception ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	private void onIdle() {
		if (this.state.get() == State.STOPPED) {
			synchronized (this.drainMonitor) {
				this.drainMonitor.notifyAll();
			}
		}
	}

	private void drain(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.drainMonitor) {
			while (this.limits.inFlight() > 0) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					logger.warn("stopping {} with {} calls still in flight after {}", this.nodeId,
							this.limits.inFlight(), timeout);
					return;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.drainMonitor, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	private static void sleep(Duration duration) {
		if (duration.isZero() || duration.isNegative()) {
			return;
		}
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private ExecutorService newHandlerExecutor(int threads) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(this.options.maxQueuedCalls), named("micro-handler-" + this.options.name));
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	private static ThreadFactory named(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return runnable -> {
			Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/** One endpoint: its method, its wrapped function and its concurrency bound, if any. */
	record Route(HandlerMethod method, HandlerFunction chain, CallLimits.@Nullable Endpoint limit) {
	}

	private record SubscriberDefinition(String topic, @Nullable String queue, HandlerMethod method,
			SubscriberFunction chain) {
	}

	/**
	 * Builds a {@link DefaultServer}. A builder may build several servers; each {@link #build()} takes a snapshot, so
	 * changing the builder afterwards changes nothing in servers already built.
	 */
	public static final class Builder {

		final String name;

		@Nullable String id;

		String version = Service.DEFAULT_VERSION;

		String address = ":0";

		@Nullable String advertise;

		Map<String, String> metadata = new LinkedHashMap<>();

		@Nullable Registry registry;

		@Nullable Broker broker;

		@Nullable TransportServer transport;

		ConnectionLimits connectionLimits = ConnectionLimits.defaults();

		Codecs codecs = Codecs.defaults();

		Duration registerTtl = Registry.DEFAULT_TTL;

		Duration registerInterval = DEFAULT_REGISTER_INTERVAL;

		Duration deregisterDelay = Duration.ZERO;

		Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

		@Nullable ExecutorService executor;

		int handlerThreads = DEFAULT_HANDLER_THREADS;

		int maxQueuedCalls = DEFAULT_MAX_QUEUED_CALLS;

		int maxConcurrentCalls = DEFAULT_MAX_CONCURRENT_CALLS;

		final Map<String, Integer> endpointConcurrencyLimits = new LinkedHashMap<>();

		final List<HandlerWrapper> wrappers = new ArrayList<>();

		final List<SubscriberWrapper> subscriberWrappers = new ArrayList<>();

		@Nullable Timer timer;

		ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		@Nullable ServerCallConvention callConvention;

		@Nullable ReceiveConvention receiveConvention;

		boolean exposeExceptionMessages;

		private Builder(String name) {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("name: '" + name + "' (expected: a service name)");
			}
			this.name = name;
		}

		/**
		 * The server id; the node id is {@code <name>-<id>}. Unset (the default), every {@link #build()} draws a new
		 * random UUID, so two servers built from one builder are two nodes.
		 */
		public Builder id(String id) {
			this.id = Objects.requireNonNull(id, "id");
			return this;
		}

		/** The service version, {@value Service#DEFAULT_VERSION} by default. */
		public Builder version(String version) {
			this.version = Objects.requireNonNull(version, "version");
			return this;
		}

		/**
		 * The listen address, {@code host:port}; {@code :0} (the default) listens on all interfaces on a random port.
		 * Used when no {@link #transport(TransportServer)} is given.
		 */
		public Builder address(String address) {
			this.address = Objects.requireNonNull(address, "address");
			return this;
		}

		/** The address to register instead of the bound one ({@code host:port}). */
		public Builder advertise(@Nullable String advertise) {
			this.advertise = advertise;
			return this;
		}

		/** User metadata added to the node metadata; copied. */
		public Builder metadata(Map<String, String> metadata) {
			this.metadata = new LinkedHashMap<>(metadata);
			return this;
		}

		/** The registry the node registers in; required. */
		public Builder registry(Registry registry) {
			this.registry = Objects.requireNonNull(registry, "registry");
			return this;
		}

		/** The broker subscribers listen on; required only when subscribers are added. */
		public Builder broker(@Nullable Broker broker) {
			this.broker = broker;
			return this;
		}

		/**
		 * The transport; defaults to mucp over HTTP on {@link #address(String)} with
		 * {@link #connectionLimits(ConnectionLimits)}.
		 */
		public Builder transport(@Nullable TransportServer transport) {
			this.transport = transport;
			return this;
		}

		/**
		 * The timeouts and connection limit of the default transport, {@link ConnectionLimits#defaults()} by default.
		 * Used when no {@link #transport(TransportServer)} is given.
		 */
		public Builder connectionLimits(ConnectionLimits connectionLimits) {
			this.connectionLimits = Objects.requireNonNull(connectionLimits, "connectionLimits");
			return this;
		}

		/** The codecs requests are decoded and answers encoded with; {@link Codecs#defaults()} by default. */
		public Builder codecs(Codecs codecs) {
			this.codecs = Objects.requireNonNull(codecs, "codecs");
			return this;
		}

		/** Registration TTL, 90 s by default; zero registers without expiry. */
		public Builder registerTtl(Duration ttl) {
			Arguments.nonNegative("registerTtl", ttl);
			this.registerTtl = ttl;
			return this;
		}

		/** How often the registration is renewed, 30 s by default; zero disables renewal. */
		public Builder registerInterval(Duration interval) {
			Arguments.nonNegative("registerInterval", interval);
			this.registerInterval = interval;
			return this;
		}

		/** How long to keep serving after deregistering, so clients see the change before the port closes. */
		public Builder deregisterDelay(Duration delay) {
			Arguments.nonNegative("deregisterDelay", delay);
			this.deregisterDelay = delay;
			return this;
		}

		/** The bound on waiting for calls in flight at stop, 10 s by default. */
		public Builder drainTimeout(Duration timeout) {
			Arguments.nonNegative("drainTimeout", timeout);
			this.drainTimeout = timeout;
			return this;
		}

		/**
		 * The executor handlers run on; by default a pool of {@link #handlerThreads(int)} threads and a queue of
		 * {@link #maxQueuedCalls(int)}, owned by the server. A given executor is not shut down by the server; when it
		 * rejects a call, the caller gets a 503.
		 */
		public Builder executor(@Nullable ExecutorService executor) {
			this.executor = executor;
			return this;
		}

		/** Threads of the server-owned handler pool, {@value DefaultServer#DEFAULT_HANDLER_THREADS} by default. */
		public Builder handlerThreads(int threads) {
			this.handlerThreads = Arguments.positive("handlerThreads", threads);
			return this;
		}

		/**
		 * Calls queued for a thread of the server-owned handler pool before new ones get a 503,
		 * {@value DefaultServer#DEFAULT_MAX_QUEUED_CALLS} by default.
		 */
		public Builder maxQueuedCalls(int max) {
			this.maxQueuedCalls = Arguments.positive("maxQueuedCalls", max);
			return this;
		}

		/**
		 * The bound on calls in flight (queued or running) in this server,
		 * {@value DefaultServer#DEFAULT_MAX_CONCURRENT_CALLS} by default. A call over it is answered at once with a
		 * 503 whose id is {@value FailureClassifier#SERVER_ID} and detail
		 * {@code server busy: <n> calls in flight (limit <max>)}; clients retry it on another node.
		 */
		public Builder maxConcurrentCalls(int max) {
			this.maxConcurrentCalls = Arguments.positive("maxConcurrentCalls", max);
			return this;
		}

		/**
		 * The bound on calls in flight for one endpoint (e.g. {@code Greeter.Hello}), within
		 * {@link #maxConcurrentCalls(int)}; none by default. A call over it gets the same 503.
		 */
		public Builder endpointConcurrencyLimit(String endpoint, int max) {
			Objects.requireNonNull(endpoint, "endpoint");
			this.endpointConcurrencyLimits.put(endpoint, Arguments.positive("endpointConcurrencyLimit", max));
			return this;
		}

		/** Replaces the per-endpoint bounds with {@code limits}, keyed by endpoint name; see above. */
		public Builder endpointConcurrencyLimits(Map<String, Integer> limits) {
			Map<String, Integer> checked = new LinkedHashMap<>();
			limits.forEach((endpoint, max) -> checked.put(Objects.requireNonNull(endpoint, "endpoint"),
					Arguments.positive("endpointConcurrencyLimits[" + endpoint + "]", max)));
			this.endpointConcurrencyLimits.clear();
			this.endpointConcurrencyLimits.putAll(checked);
			return this;
		}

		/**
		 * Adds a handler wrapper. The first added is outermost: it sees each call first and its result last.
		 */
		public Builder wrapper(HandlerWrapper wrapper) {
			this.wrappers.add(Objects.requireNonNull(wrapper, "wrapper"));
			return this;
		}

		/** Adds a subscriber wrapper. The first added is outermost. */
		public Builder subscriberWrapper(SubscriberWrapper wrapper) {
			this.subscriberWrappers.add(Objects.requireNonNull(wrapper, "wrapper"));
			return this;
		}

		/**
		 * The timer that enforces callers' deadlines, shared by all calls of the server; by default the server
		 * starts its own {@link HashedWheelTimer} (one thread, {@link DefaultServer#DEADLINE_TIMER_TICK} tick) and
		 * stops it at stop. A given timer is not stopped by the server.
		 */
		public Builder timer(@Nullable Timer timer) {
			this.timer = timer;
			return this;
		}

		/** The registry observations of calls and received messages go to; none by default. */
		public Builder observationRegistry(ObservationRegistry registry) {
			this.observationRegistry = Objects.requireNonNull(registry, "registry");
			return this;
		}

		/** The convention naming and tagging server call observations; the default one when {@code null}. */
		public Builder callConvention(@Nullable ServerCallConvention convention) {
			this.callConvention = convention;
			return this;
		}

		/** The convention naming and tagging receive observations; the default one when {@code null}. */
		public Builder receiveConvention(@Nullable ReceiveConvention convention) {
			this.receiveConvention = convention;
			return this;
		}

		/**
		 * Whether the message of an unexpected handler exception (anything but a
		 * {@link io.micro4j.errors.MicroException}) goes to the caller in the 500's detail. Off by default: the caller
		 * gets {@code internal server error (correlation id <id>)} and the log has the exception with the same id, so
		 * nothing internal (SQL, paths, secrets in messages) leaks.
		 */
		public Builder exposeExceptionMessages(boolean expose) {
			this.exposeExceptionMessages = expose;
			return this;
		}

		/**
		 * A server with a snapshot of these options.
		 * @throws IllegalStateException when no registry is set
		 */
		public DefaultServer build() {
			if (this.registry == null) {
				throw new IllegalStateException("registry: not set (expected: a Registry)");
			}
			return new DefaultServer(new ServerOptions(this));
		}

	}

}
