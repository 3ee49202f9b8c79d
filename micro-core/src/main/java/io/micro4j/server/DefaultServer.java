package io.micro4j.server;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
import io.micro4j.errors.MicroException;
import io.micro4j.internal.Arguments;
import io.micro4j.metadata.CallContext;
import io.micro4j.metadata.Deadline;
import io.micro4j.metadata.Metadata;
import io.micro4j.observation.DefaultReceiveConvention;
import io.micro4j.observation.DefaultServerCallConvention;
import io.micro4j.observation.MicroObservation;
import io.micro4j.observation.ReceiveContext;
import io.micro4j.observation.ReceiveConvention;
import io.micro4j.observation.ServerCallContext;
import io.micro4j.observation.ServerCallConvention;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import io.micro4j.transport.TransportServer;
import io.micro4j.transport.http.HttpTransportServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mucp server. Build with {@link #builder(String)}.
 * <p>
 * Requests arrive from the transport on an I/O thread and run on the server's worker executor. The endpoint comes
 * from {@code Micro-Endpoint} (falling back to {@code Micro-Method}), the codec from {@code Content-Type}, the
 * deadline from {@code Timeout} (ns). The answer echoes every request header and sets {@code Micro-Id},
 * {@code Micro-Service}, {@code Micro-Method}, {@code Micro-Endpoint} and {@code Content-Type}; errors travel in
 * {@code Micro-Error} and {@code X-Micro-Error} with an empty body, as go-micro's server answers. An unknown
 * endpoint is a 404, a body that does not decode a 400.
 */
public final class DefaultServer implements Server {

	/** go-micro's library default register interval: 30 seconds. */
	public static final Duration DEFAULT_REGISTER_INTERVAL = Duration.ofSeconds(30);

	/** Default bound on waiting for calls in flight at stop: 10 seconds. */
	public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

	/** Default number of handler threads. */
	public static final int DEFAULT_HANDLER_THREADS = 64;

	private static final Logger logger = LoggerFactory.getLogger(DefaultServer.class);

	private static final String SERVER_ID = "go.micro.server";

	private enum State {

		NEW, RUNNING, STOPPED

	}

	private final Builder options;

	private final String nodeId;

	private final Registry registry;

	private final Map<String, HandlerMethod> handlers = new LinkedHashMap<>();

	private final List<Endpoint> endpoints = new ArrayList<>();

	private final List<SubscriberDefinition> subscribers = new ArrayList<>();

	private final List<Subscription> subscriptions = new ArrayList<>();

	private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Object drainMonitor = new Object();

	private final ServerCallConvention callConvention;

	private final ReceiveConvention receiveConvention;

	private @Nullable TransportServer transport;

	private @Nullable ExecutorService executor;

	private boolean ownsExecutor;

	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable ScheduledFuture<?> registration;

	private volatile @Nullable InetSocketAddress bound;

	private volatile Service service;

	private volatile boolean registered;

	private volatile boolean registrationFailing;

	private DefaultServer(Builder b) {
		this.options = b;
		this.nodeId = b.name + "-" + b.id;
		this.registry = Objects.requireNonNull(b.registry);
		this.callConvention = (b.callConvention != null) ? b.callConvention : new DefaultServerCallConvention();
		this.receiveConvention = (b.receiveConvention != null) ? b.receiveConvention : new DefaultReceiveConvention();
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
			throw new IllegalArgumentException("handler " + handlerName + " has no public methods to serve");
		}
		java.util.Set<String> seen = new java.util.HashSet<>();
		for (HandlerMethod method : methods) {
			if (this.handlers.containsKey(method.endpoint()) || !seen.add(method.endpoint())) {
				throw new IllegalArgumentException("duplicate endpoint " + method.endpoint()
						+ " (overloaded handler methods are not supported)");
			}
		}
		for (HandlerMethod method : methods) {
			this.handlers.put(method.endpoint(), method);
			this.endpoints.add(method.toEndpoint());
		}
		this.service = buildService("");
	}

	@Override
	public synchronized void subscribe(String topic, @Nullable String queue, Object bean, Method method) {
		requireNew();
		if (this.options.broker == null) {
			throw new IllegalStateException("subscriber on " + topic + " needs a broker (none configured)");
		}
		HandlerMethod handlerMethod = HandlerMethod.subscriber(bean, method);
		this.subscribers.add(new SubscriberDefinition(topic, queue, handlerMethod));
		this.service = buildService("");
	}

	@Override
	public synchronized void start() {
		if (!this.state.compareAndSet(State.NEW, State.RUNNING)) {
			throw new IllegalStateException("server " + this.nodeId + " is " + this.state.get().name().toLowerCase()
					+ " (expected: new)");
		}
		try {
			this.executor = this.options.executor;
			if (this.executor == null) {
				this.executor = newHandlerExecutor(this.options.handlerThreads);
				this.ownsExecutor = true;
			}
			this.scheduler = newScheduler();
			this.transport = (this.options.transport != null) ? this.options.transport
					: HttpTransportServer.builder().address(this.options.address).build();
			InetSocketAddress address = this.transport.start(this::dispatch);
			this.bound = address;
			String advertise = (this.options.advertise != null && !this.options.advertise.isBlank())
					? this.options.advertise : Addresses.advertise(address);
			this.service = buildService(advertise);
			subscribeAll();
			register();
			long interval = this.options.registerInterval.toMillis();
			if (interval > 0) {
				this.registration = this.scheduler.scheduleWithFixedDelay(this::register, interval, interval,
						TimeUnit.MILLISECONDS);
			}
			logger.info("micro server {} listening on {}, registered as {} at {} in the {} registry", this.name(),
					address, this.nodeId, advertise, this.registry.name());
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
		if (this.registration != null) {
			this.registration.cancel(false);
		}
		try {
			this.registry.deregister(this.service);
		}
		catch (RuntimeException ex) {
			logger.warn("deregistering {} failed: {}", this.nodeId, ex.getMessage());
		}
		this.registered = false;
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
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
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
		return this.registered;
	}

	/** Calls currently being handled. */
	public int inFlight() {
		return this.inFlight.get();
	}

	private void requireNew() {
		if (this.state.get() != State.NEW) {
			throw new IllegalStateException("handlers and subscribers must be added before start");
		}
	}

	private Service buildService(String address) {
		Map<String, String> metadata = new LinkedHashMap<>(this.options.metadata);
		metadata.put("transport", "http");
		metadata.put("broker", (this.options.broker != null) ? this.options.broker.name() : "http");
		metadata.put("server", "mucp");
		metadata.put("registry", this.registry.name());
		metadata.put("protocol", "mucp");
		List<Endpoint> all = new ArrayList<>(this.endpoints);
		for (SubscriberDefinition subscriber : this.subscribers) {
			all.add(subscriber.method().toSubscriberEndpoint(subscriber.topic()));
		}
		Node node = new Node(this.nodeId, address, metadata);
		return new Service(this.options.name, this.options.version, Map.of(), all,
				address.isEmpty() ? List.of() : List.of(node));
	}

	private void register() {
		if (this.state.get() != State.RUNNING) {
			return;
		}
		try {
			this.registry.register(this.service, this.options.registerTtl);
			this.registered = true;
			if (this.registrationFailing) {
				logger.info("registration of {} in the {} registry succeeded again", this.nodeId,
						this.registry.name());
				this.registrationFailing = false;
			}
		}
		catch (RuntimeException ex) {
			this.registered = false;
			if (!this.registrationFailing) {
				logger.warn("registration of {} in the {} registry failed, retrying: {}", this.nodeId,
						this.registry.name(), ex.getMessage());
				this.registrationFailing = true;
			}
			ScheduledExecutorService s = this.scheduler;
			if (s != null && !s.isShutdown()) {
				long retry = Math.min(Math.max(this.options.registerInterval.toMillis() / 4, 100), 5000);
				try {
					s.schedule(this::register, retry, TimeUnit.MILLISECONDS);
				}
				catch (RejectedExecutionException rejected) {
					// stopping
				}
			}
		}
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
			subscriber.method().invoke(payload, headers);
		}
		catch (Exception ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	private CompletableFuture<TransportResponse> dispatch(TransportRequest request, InetSocketAddress local,
			InetSocketAddress remote) {
		Metadata headers = request.headers();
		String endpoint = headers.getOrNull("Micro-Endpoint");
		if (endpoint == null || endpoint.isEmpty()) {
			endpoint = headers.getOrNull("Micro-Method");
		}
		if (endpoint == null || endpoint.isEmpty()) {
			return CompletableFuture.completedFuture(error(headers, "", "", rejected(remote, MicroException
				.badRequest(SERVER_ID, "rpc: request has no Micro-Endpoint header (expected: Handler.Method)"))));
		}
		String contentType = headers.getOrNull("Content-Type");
		HandlerMethod method = this.handlers.get(endpoint);
		if (method == null) {
			return CompletableFuture
				.completedFuture(error(headers, endpoint, contentType, rejected(remote, unknown(endpoint))));
		}
		Codec codec = (contentType == null || contentType.isEmpty()) ? this.options.codecs.defaultCodec()
				: this.options.codecs.forContentType(contentType).orElse(null);
		if (codec == null) {
			return CompletableFuture.completedFuture(error(headers, endpoint, contentType, rejected(remote,
					new MicroException(SERVER_ID, 415, "unsupported Content-Type: " + contentType))));
		}
		Deadline deadline = parseTimeout(headers.getOrNull("Timeout"));
		Metadata metadata = headers.toBuilder()
			.put("Local", Addresses.hostPort(local.getAddress(), local.getPort()))
			.put("Remote", Addresses.hostPort(remote.getAddress(), remote.getPort()))
			.build();
		CompletableFuture<TransportResponse> response = new CompletableFuture<>();
		String ep = endpoint;
		this.inFlight.incrementAndGet();
		try {
			Objects.requireNonNull(this.executor).execute(() -> serve(method, ep, codec, headers, metadata, deadline,
					request.body(), response));
		}
		catch (RejectedExecutionException ex) {
			done();
			response.complete(error(headers, endpoint, codec.contentType(),
					MicroException.serviceUnavailable(this.name(), "server busy: too many requests in flight")));
		}
		return response;
	}

	private void serve(HandlerMethod method, String endpoint, Codec codec, Metadata headers, Metadata metadata,
			@Nullable Deadline deadline, byte[] body, CompletableFuture<TransportResponse> response) {
		ServerCallContext context = new ServerCallContext(this.name(), endpoint, metadata);
		Observation observation = MicroObservation.SERVER_CALL.observation(this.callConvention,
				new DefaultServerCallConvention(), () -> context, this.options.observationRegistry);
		observation.start();
		boolean async = false;
		try (Observation.Scope scope = observation.openScope();
				CallContext.Scope call = CallContext.of(metadata, deadline).makeCurrent()) {
			if (deadline != null && deadline.isExpired()) {
				throw MicroException.timeout(SERVER_ID, "deadline exceeded before the handler ran");
			}
			Object request;
			try {
				request = method.hasRequest() ? codec.decode(body, method.requestType()) : null;
			}
			catch (CodecException ex) {
				throw rejected(metadata.getOrNull("Remote"), ex);
			}
			HandlerFunction chain = req -> method.invoke(req.body(), req.headers());
			for (int i = this.options.wrappers.size() - 1; i >= 0; i--) {
				chain = this.options.wrappers.get(i).wrap(chain);
			}
			Object result = chain.handle(new ServerRequest(this.name(), endpoint, codec.contentType(), metadata,
					(request != null) ? request : new Object()));
			if (result instanceof CompletionStage<?> stage) {
				async = true;
				stage.whenComplete((value, error) -> {
					try {
						if (error != null) {
							Throwable cause = (error instanceof java.util.concurrent.CompletionException
									&& error.getCause() != null) ? error.getCause() : error;
							fail(observation, context, response, headers, endpoint, codec, cause);
						}
						else {
							succeed(observation, response, headers, endpoint, codec, value);
						}
					}
					finally {
						done();
					}
				});
			}
			else {
				succeed(observation, response, headers, endpoint, codec, result);
			}
		}
		catch (Throwable ex) {
			fail(observation, context, response, headers, endpoint, codec, ex);
		}
		finally {
			if (!async) {
				done();
			}
		}
	}

	private void succeed(Observation observation, CompletableFuture<TransportResponse> response, Metadata headers,
			String endpoint, Codec codec, @Nullable Object value) {
		try {
			byte[] body = codec.encode((value != null) ? value : Map.of());
			response.complete(new TransportResponse(200, replyHeaders(headers, endpoint, codec.contentType()).build(), body));
			observation.stop();
		}
		catch (RuntimeException ex) {
			ServerCallContext context = (ServerCallContext) observation.getContext();
			fail(observation, context, response, headers, endpoint, codec, ex);
		}
	}

	private void fail(Observation observation, ServerCallContext context,
			CompletableFuture<TransportResponse> response, Metadata headers, String endpoint, Codec codec,
			Throwable ex) {
		MicroException error;
		if (ex instanceof MicroException micro) {
			error = micro;
			if (micro.code() >= 500) {
				logger.warn("{} failed: {}", endpoint, micro.toJson());
			}
		}
		else {
			error = MicroException.from(this.name(), ex);
			logger.warn("{} threw {}", endpoint, ex.toString(), ex);
		}
		context.setErrorCode(error.code());
		observation.error(error);
		observation.stop();
		response.complete(error(headers, endpoint, codec.contentType(), error));
	}

	private void done() {
		if (this.inFlight.decrementAndGet() == 0 && this.state.get() == State.STOPPED) {
			synchronized (this.drainMonitor) {
				this.drainMonitor.notifyAll();
			}
		}
	}

	private void drain(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.drainMonitor) {
			while (this.inFlight.get() > 0) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					logger.warn("stopping {} with {} calls still in flight after {}", this.nodeId, this.inFlight.get(),
							timeout);
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

	/** Logs a request the server refused because of bad input, once, and returns the error to answer with. */
	private static MicroException rejected(@Nullable Object remote, MicroException error) {
		logger.info("rejected a request from {}: {}", remote, error.toJson());
		return error;
	}

	private MicroException unknown(String endpoint) {
		int dot = endpoint.indexOf('.');
		if (dot <= 0 || dot == endpoint.length() - 1 || endpoint.indexOf('.', dot + 1) >= 0) {
			return MicroException.badRequest(SERVER_ID,
					"rpc: service/endpoint request not well-formed: %s (expected: Handler.Method)", endpoint);
		}
		String handler = endpoint.substring(0, dot);
		boolean knownHandler = this.handlers.keySet().stream().anyMatch(e -> e.startsWith(handler + "."));
		return knownHandler ? MicroException.notFound(SERVER_ID, "rpc: can't find method %s", endpoint.substring(dot + 1))
				: MicroException.notFound(SERVER_ID, "rpc: can't find service %s", handler);
	}

	private TransportResponse error(Metadata requestHeaders, String endpoint, @Nullable String contentType,
			MicroException error) {
		String json = error.toJson();
		Metadata headers = replyHeaders(requestHeaders, endpoint,
				(contentType != null && !contentType.isEmpty()) ? contentType
						: this.options.codecs.defaultCodec().contentType())
			.put("Micro-Error", json)
			.put("X-Micro-Error", json)
			.build();
		return new TransportResponse(200, headers, new byte[0]);
	}

	private Metadata.Builder replyHeaders(Metadata requestHeaders, String endpoint, String contentType) {
		String id = requestHeaders.getOrNull("Micro-Id");
		return requestHeaders.toBuilder()
			.remove("Content-Length")
			.remove("Host")
			.remove("Connection")
			.remove("Transfer-Encoding")
			.put("Micro-Id", (id != null) ? id : "")
			.put("Micro-Service", this.name())
			.put("Micro-Method", endpoint)
			.put("Micro-Endpoint", endpoint)
			.put("Content-Type", contentType);
	}

	private static @Nullable Deadline parseTimeout(@Nullable String timeout) {
		if (timeout == null || timeout.isEmpty()) {
			return null;
		}
		try {
			long nanos = Long.parseLong(timeout.trim());
			return (nanos > 0) ? Deadline.after(Duration.ofNanos(nanos)) : null;
		}
		catch (NumberFormatException ex) {
			return null;
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

	private static ScheduledExecutorService newScheduler() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, named("micro-register"));
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

	private static ThreadFactory named(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return runnable -> {
			Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private record SubscriberDefinition(String topic, @Nullable String queue, HandlerMethod method) {
	}

	/** Builds a {@link DefaultServer}. */
	public static final class Builder {

		final String name;

		String id = UUID.randomUUID().toString();

		String version = Service.DEFAULT_VERSION;

		String address = ":0";

		@Nullable String advertise;

		Map<String, String> metadata = new LinkedHashMap<>();

		@Nullable Registry registry;

		@Nullable Broker broker;

		@Nullable TransportServer transport;

		Codecs codecs = Codecs.defaults();

		Duration registerTtl = Registry.DEFAULT_TTL;

		Duration registerInterval = DEFAULT_REGISTER_INTERVAL;

		Duration deregisterDelay = Duration.ZERO;

		Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

		@Nullable ExecutorService executor;

		int handlerThreads = DEFAULT_HANDLER_THREADS;

		int maxQueuedCalls = 10_000;

		final List<HandlerWrapper> wrappers = new ArrayList<>();

		ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		@Nullable ServerCallConvention callConvention;

		@Nullable ReceiveConvention receiveConvention;

		private Builder(String name) {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("name: '" + name + "' (expected: a service name)");
			}
			this.name = name;
		}

		/** The server id (a UUID by default); the node id is {@code <name>-<id>}. */
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

		/** User metadata added to the node metadata. */
		public Builder metadata(Map<String, String> metadata) {
			this.metadata = new LinkedHashMap<>(metadata);
			return this;
		}

		public Builder registry(Registry registry) {
			this.registry = Objects.requireNonNull(registry, "registry");
			return this;
		}

		/** The broker subscribers listen on; required only when subscribers are added. */
		public Builder broker(@Nullable Broker broker) {
			this.broker = broker;
			return this;
		}

		/** The transport; defaults to mucp over HTTP on {@link #address(String)}. */
		public Builder transport(@Nullable TransportServer transport) {
			this.transport = transport;
			return this;
		}

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

		/** The executor handlers run on; by default a pool of {@link #handlerThreads(int)} owned by the server. */
		public Builder executor(@Nullable ExecutorService executor) {
			this.executor = executor;
			return this;
		}

		/** Threads of the server-owned handler pool, {@value DefaultServer#DEFAULT_HANDLER_THREADS} by default. */
		public Builder handlerThreads(int threads) {
			if (threads < 1) {
				throw new IllegalArgumentException("handlerThreads: " + threads + " (expected: >= 1)");
			}
			this.handlerThreads = threads;
			return this;
		}

		/** Calls queued for a handler thread before new ones get a 503; 10,000 by default. */
		public Builder maxQueuedCalls(int max) {
			if (max < 1) {
				throw new IllegalArgumentException("maxQueuedCalls: " + max + " (expected: >= 1)");
			}
			this.maxQueuedCalls = max;
			return this;
		}

		/** Adds a handler wrapper; the first added is outermost. */
		public Builder wrapper(HandlerWrapper wrapper) {
			this.wrappers.add(Objects.requireNonNull(wrapper, "wrapper"));
			return this;
		}

		public Builder observationRegistry(ObservationRegistry registry) {
			this.observationRegistry = Objects.requireNonNull(registry, "registry");
			return this;
		}

		public Builder callConvention(@Nullable ServerCallConvention convention) {
			this.callConvention = convention;
			return this;
		}

		public Builder receiveConvention(@Nullable ReceiveConvention convention) {
			this.receiveConvention = convention;
			return this;
		}

		public DefaultServer build() {
			if (this.registry == null) {
				throw new IllegalStateException("registry: not set (expected: a Registry)");
			}
			return new DefaultServer(this);
		}

	}

}
