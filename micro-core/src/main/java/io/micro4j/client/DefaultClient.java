package io.micro4j.client;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerException;
import io.micro4j.broker.Message;
import io.micro4j.codec.Codec;
import io.micro4j.codec.CodecException;
import io.micro4j.codec.Codecs;
import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.CallContext;
import io.micro4j.metadata.Deadline;
import io.micro4j.metadata.Metadata;
import io.micro4j.observation.ClientCallConvention;
import io.micro4j.observation.DefaultPublishConvention;
import io.micro4j.observation.MicroObservation;
import io.micro4j.observation.PublishContext;
import io.micro4j.observation.PublishConvention;
import io.micro4j.registry.Registry;
import io.micro4j.selector.Selector;
import io.micro4j.transport.TransportClient;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The mucp client. Build with {@link #builder(Selector, TransportClient)}.
 * <p>
 * A call gets a deadline ({@link CallOptions#requestTimeout()}, or the current {@link CallContext}'s deadline when
 * earlier) and a {@link ClientRequestContext} holding the request and the outgoing metadata (the current call
 * context's propagated metadata, then the request's). The context then runs through one chain of
 * {@link CallWrapper}s, lowest order outermost: observation, circuit breaker (when configured), retry, selection and
 * ejection, the user's wrappers, and the transport, which sends what the context holds at that point. See
 * {@link CallWrapper} for the orders.
 * <p>
 * {@link #call} blocks the caller; {@link #callAsync} never does: the call starts and completes on the client's
 * bounded callback executor, with the caller's {@link CallContext} and observation carried over.
 */
public final class DefaultClient implements Client {

	/** The id of errors the client raises itself: {@value}. */
	static final String CLIENT_ID = "go.micro.client";

	/** Default threads of the callback executor: twice the processors, at least 4. */
	public static final int DEFAULT_CALLBACK_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

	/** Default bound of the callback executor's queue: {@value}. */
	public static final int DEFAULT_CALLBACK_QUEUE = 10_000;

	private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

	private final @Nullable Broker broker;

	private final Codecs codecs;

	private final CallOptions defaultCallOptions;

	private final CallFunction pipeline;

	private final TransportStage transportStage;

	private final ObservationRegistry observationRegistry;

	private final @Nullable PublishConvention publishConvention;

	private final List<PublishWrapper> publishWrappers;

	private final Executor callbackExecutor;

	private final @Nullable ExecutorService ownedCallbackExecutor;

	private final ScheduledExecutorService timer;

	private final boolean ownsTimer;

	private final AtomicBoolean closed = new AtomicBoolean();

	private DefaultClient(Builder b) {
		this.broker = b.broker;
		this.codecs = b.codecs;
		this.defaultCallOptions = b.defaultCallOptions;
		this.observationRegistry = b.observationRegistry;
		this.publishConvention = b.publishConvention;
		this.publishWrappers = List.copyOf(b.publishWrappers);
		if (b.timer != null) {
			this.timer = b.timer;
			this.ownsTimer = false;
		}
		else {
			ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon("micro-client-timer"));
			scheduler.setRemoveOnCancelPolicy(true);
			this.timer = scheduler;
			this.ownsTimer = true;
		}
		if (b.callbackExecutor != null) {
			this.callbackExecutor = b.callbackExecutor;
			this.ownedCallbackExecutor = null;
		}
		else {
			ThreadPoolExecutor pool = new ThreadPoolExecutor(DEFAULT_CALLBACK_THREADS, DEFAULT_CALLBACK_THREADS, 60,
					TimeUnit.SECONDS, new LinkedBlockingQueue<>(DEFAULT_CALLBACK_QUEUE), daemon("micro-client-callback"));
			pool.allowCoreThreadTimeOut(true);
			this.callbackExecutor = pool;
			this.ownedCallbackExecutor = pool;
		}
		ClientMeters meters = new ClientMeters(b.meterRegistry);
		List<OrderedWrapper> stages = new ArrayList<>(b.wrappers);
		stages.add(new OrderedWrapper(CallWrapper.OBSERVATION_ORDER, -1,
				new ObservationStage(b.observationRegistry, b.callConvention)));
		stages.add(new OrderedWrapper(CallWrapper.RETRY_ORDER, -1,
				new RetryStage(b.retryBudget, b.idempotentEndpoints, b.registry, this.timer, meters)));
		stages.add(new OrderedWrapper(CallWrapper.SELECTION_ORDER, -1, new SelectionStage(b.selector)));
		// lowest order outermost; at equal order built-in stages first, then the user's in the order added
		stages.sort(Comparator.comparingInt(OrderedWrapper::order).thenComparingInt(OrderedWrapper::sequence));
		this.transportStage = new TransportStage(b.transport, b.protocolTransports, b.codecs);
		CallFunction chain = this.transportStage;
		for (int i = stages.size() - 1; i >= 0; i--) {
			chain = stages.get(i).wrapper().wrap(chain);
		}
		this.pipeline = chain;
	}

	/** A builder; the selector finds nodes, the transport reaches them. */
	public static Builder builder(Selector selector, TransportClient transport) {
		return new Builder(selector, transport);
	}

	@Override
	public <T> T call(Request request, Type responseType, CallOptions options) {
		ClientRequestContext context = newContext(request, options, CallContext.current());
		return decode(context, await(context, invoke(context)), responseType);
	}

	/** Waits for the pipeline's answer, within the call's deadline. */
	private static Response await(ClientRequestContext context, CompletableFuture<Response> result) {
		Response response;
		try {
			// the transport bounds each attempt by the deadline; the extra second only guards against a lost timer
			response = result.get(context.deadline().remainingNanos() + TimeUnit.SECONDS.toNanos(1),
					TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			result.cancel(false);
			throw new MicroException(CLIENT_ID, 408, "call interrupted", MicroException.statusText(408), ex);
		}
		catch (ExecutionException ex) {
			throw toMicro(ex.getCause());
		}
		catch (TimeoutException ex) {
			throw MicroException.timeout(CLIENT_ID, "call timeout: deadline exceeded");
		}
		return response;
	}

	@Override
	public ClientStream stream(Request request, CallOptions options) {
		CallContext caller = CallContext.current();
		Deadline life = caller.deadline().orElse(null);
		CallOptions streaming = options.toBuilder()
			.selectOptions(options.selectOptions().withFilter(this::streamingNodes))
			.build();
		if (this.closed.get()) {
			throw new IllegalStateException("client is closed");
		}
		Deadline opening = Deadline.after(options.requestTimeout());
		ClientRequestContext context = new ClientRequestContext(request, outgoingMetadata(request, caller),
				(life != null) ? opening.min(life) : opening, streaming);
		context.stream(life);
		Codec codec = TransportStage.codec(this.codecs, request);
		CompletableFuture<Response> opened = invoke(context);
		try {
			await(context, opened);
		}
		catch (RuntimeException ex) {
			// opened too late: nobody will read it
			opened.thenRun(() -> {
				io.micro4j.transport.TransportStream late = context.openedStream();
				if (late != null) {
					late.cancel();
				}
			});
			throw ex;
		}
		io.micro4j.transport.TransportStream stream = Objects.requireNonNull(context.openedStream(), "opened stream");
		return new DefaultClientStream(new io.micro4j.internal.CodedStream(stream, codec, life,
				options.requestTimeout(), "go.micro.client.codec", 500), request);
	}

	/**
	 * The nodes a stream may go to: those whose protocol carries streams; all of them when none does (the stream
	 * then fails with an error naming the node's protocol).
	 */
	private List<io.micro4j.registry.Service> streamingNodes(List<io.micro4j.registry.Service> services) {
		List<io.micro4j.registry.Service> kept = new ArrayList<>(services.size());
		for (io.micro4j.registry.Service service : services) {
			List<io.micro4j.registry.Node> nodes = service.nodes()
				.stream()
				.filter(this.transportStage::carriesStreams)
				.toList();
			if (!nodes.isEmpty()) {
				kept.add((nodes.size() == service.nodes().size()) ? service : service.withNodes(nodes));
			}
		}
		return kept.isEmpty() ? services : kept;
	}

	@Override
	public <T> CompletableFuture<T> callAsync(Request request, Type responseType, CallOptions options) {
		CompletableFuture<T> result = new CompletableFuture<>();
		// everything current here (call context, observation, and any other registered thread local) goes along
		ContextSnapshot snapshot = SNAPSHOTS.captureAll();
		try {
			this.callbackExecutor.execute(snapshot.wrap(() -> {
				try {
					ClientRequestContext context = newContext(request, options, CallContext.current());
					invoke(context).whenComplete((response, error) -> complete(context, response, error, responseType,
							result));
				}
				catch (RuntimeException ex) {
					result.completeExceptionally(toMicro(ex));
				}
			}));
		}
		catch (RejectedExecutionException ex) {
			result.completeExceptionally(MicroException.serviceUnavailable(CLIENT_ID,
					"client busy: the callback executor refused the call to %s %s", request.service(),
					request.endpoint()));
		}
		return result;
	}

	private <T> void complete(ClientRequestContext context, @Nullable Response response, @Nullable Throwable error,
			Type responseType, CompletableFuture<T> result) {
		Runnable completion = () -> {
			if (error != null) {
				result.completeExceptionally(toMicro(error));
				return;
			}
			try {
				result.complete(decode(context, Objects.requireNonNull(response), responseType));
			}
			catch (RuntimeException ex) {
				result.completeExceptionally(ex);
			}
		};
		try {
			this.callbackExecutor.execute(completion);
		}
		catch (RejectedExecutionException ex) {
			completion.run();
		}
	}

	@Override
	public void publish(String topic, Object payload, Metadata metadata) {
		Broker broker = this.broker;
		if (broker == null) {
			throw new BrokerException("no broker configured: cannot publish to " + topic);
		}
		Codec codec = this.codecs.defaultCodec();
		Map<String, String> headers = new LinkedHashMap<>();
		CallContext.current().propagatedMetadata().forEach(headers::put);
		metadata.forEach(headers::put);
		headers.put("Content-Type", codec.contentType());
		headers.put("Micro-Topic", topic);
		headers.put("Micro-Id", UUID.randomUUID().toString());
		byte[] body = codec.encode(payload);
		PublishContext context = new PublishContext(topic, broker.name(), headers);
		Observation observation = MicroObservation.PUBLISH.observation(this.publishConvention,
				new DefaultPublishConvention(), () -> context, this.observationRegistry);
		PublishFunction send = (t, message) -> broker.publish(t, message);
		for (int i = this.publishWrappers.size() - 1; i >= 0; i--) {
			send = this.publishWrappers.get(i).wrap(send);
		}
		PublishFunction chain = send;
		// the observation runs first, so trace headers are in the message the wrappers see
		observation.observe(() -> chain.publish(topic, new Message(Metadata.of(headers), body)));
	}

	@Override
	public CallOptions defaultCallOptions() {
		return this.defaultCallOptions;
	}

	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			if (this.ownsTimer) {
				this.timer.shutdownNow();
			}
			if (this.ownedCallbackExecutor != null) {
				this.ownedCallbackExecutor.shutdown();
			}
		}
	}

	private ClientRequestContext newContext(Request request, CallOptions options, CallContext caller) {
		if (this.closed.get()) {
			throw new IllegalStateException("client is closed");
		}
		Deadline deadline = Deadline.after(options.requestTimeout());
		if (caller.deadline().isPresent()) {
			deadline = deadline.min(caller.deadline().get());
		}
		ClientRequestContext context = new ClientRequestContext(request, outgoingMetadata(request, caller), deadline,
				options);
		// encode now, so a body that cannot be encoded fails the call before anything is sent
		context.encode(TransportStage.codec(this.codecs, request));
		return context;
	}

	private static Map<String, String> outgoingMetadata(Request request, CallContext caller) {
		Map<String, String> metadata = new LinkedHashMap<>();
		caller.propagatedMetadata().forEach(metadata::put);
		request.metadata().forEach(metadata::put);
		return metadata;
	}

	private CompletableFuture<Response> invoke(ClientRequestContext context) {
		return this.pipeline.callSafely(context);
	}

	@SuppressWarnings("unchecked")
	private <T> T decode(ClientRequestContext context, Response response, Type responseType) {
		if (responseType == Void.class || responseType == void.class) {
			return null;
		}
		if (responseType == Response.class) {
			return (T) response;
		}
		Codec codec = TransportStage.codec(this.codecs, context.request());
		String contentType = response.headers().getOrNull("Content-Type");
		if (contentType != null) {
			codec = this.codecs.forContentType(contentType).orElse(codec);
		}
		try {
			return (T) codec.decode(response.body(), responseType);
		}
		catch (CodecException ex) {
			throw new MicroException("go.micro.client.codec", 500, ex.detail(), MicroException.statusText(500), ex);
		}
	}

	static MicroException toMicro(Throwable error) {
		Throwable e = FailureClassifier.unwrap(error);
		if (e instanceof CancellationException) {
			return MicroException.timeout(CLIENT_ID, "call cancelled");
		}
		return MicroException.from(CLIENT_ID, e);
	}

	private static java.util.concurrent.ThreadFactory daemon(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return runnable -> {
			Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private record OrderedWrapper(int order, int sequence, CallWrapper wrapper) {
	}

	/** Builds a {@link DefaultClient}; the client never reads the builder after {@link #build()}. */
	public static final class Builder {

		private final Selector selector;

		private final TransportClient transport;

		private final Map<String, TransportClient> protocolTransports = new LinkedHashMap<>();

		private @Nullable Broker broker;

		private @Nullable Registry registry;

		private Codecs codecs = Codecs.defaults();

		private CallOptions defaultCallOptions = CallOptions.defaults();

		private RetryBudget retryBudget = RetryBudget.defaults();

		private java.util.function.BiPredicate<String, String> idempotentEndpoints = (service, endpoint) -> false;

		private final List<OrderedWrapper> wrappers = new ArrayList<>();

		private final List<PublishWrapper> publishWrappers = new ArrayList<>();

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private @Nullable MeterRegistry meterRegistry;

		private @Nullable ClientCallConvention callConvention;

		private @Nullable PublishConvention publishConvention;

		private @Nullable Executor callbackExecutor;

		private @Nullable ScheduledExecutorService timer;

		private Builder(Selector selector, TransportClient transport) {
			this.selector = Objects.requireNonNull(selector, "selector");
			this.transport = Objects.requireNonNull(transport, "transport");
		}

		/**
		 * The transport for nodes whose metadata says {@code protocol=<protocol>}, e.g. {@code grpc} with
		 * {@code micro-grpc}'s {@code GrpcTransportClient}: a client then calls a fleet that mixes mucp and gRPC
		 * nodes. Nodes of any other protocol (or none) go through the builder's transport.
		 */
		public Builder transport(String protocol, TransportClient transport) {
			this.protocolTransports.put(Objects.requireNonNull(protocol, "protocol"),
					Objects.requireNonNull(transport, "transport"));
			return this;
		}

		/** The broker {@link Client#publish} goes through; without one, publishing fails. */
		public Builder broker(@Nullable Broker broker) {
			this.broker = broker;
			return this;
		}

		/**
		 * The registry (the same {@link io.micro4j.registry.RegistryCache} the selector reads) where the retry stage
		 * looks up whether an endpoint is {@link Idempotent}; without one, only {@link CallOptions#idempotent()}
		 * says so.
		 */
		public Builder registry(@Nullable Registry registry) {
			this.registry = registry;
			return this;
		}

		/** The codecs; the default codec encodes requests that ask for no content type. */
		public Builder codecs(Codecs codecs) {
			this.codecs = Objects.requireNonNull(codecs, "codecs");
			return this;
		}

		public Builder defaultCallOptions(CallOptions options) {
			this.defaultCallOptions = Objects.requireNonNull(options, "options");
			return this;
		}

		/** The retry budget per service, {@link RetryBudget#defaults()} by default. */
		public Builder retryBudget(RetryBudget budget) {
			this.retryBudget = Objects.requireNonNull(budget, "budget");
			return this;
		}

		/**
		 * Endpoints the configuration declares idempotent, by service and endpoint name, on top of
		 * {@link CallOptions#idempotent()} and the endpoints' registry metadata ({@link Idempotent}).
		 */
		public Builder idempotentEndpoints(java.util.function.BiPredicate<String, String> idempotent) {
			this.idempotentEndpoints = Objects.requireNonNull(idempotent, "idempotent");
			return this;
		}

		/** Adds a call wrapper at {@link CallWrapper#DEFAULT_ORDER}: once per attempt, after the node is chosen. */
		public Builder wrapper(CallWrapper wrapper) {
			return wrapper(CallWrapper.DEFAULT_ORDER, wrapper);
		}

		/**
		 * Adds a call wrapper at {@code order} (lowest outermost; see {@link CallWrapper} for the built-in stages'
		 * orders); wrappers of equal order run in the order added.
		 */
		public Builder wrapper(int order, CallWrapper wrapper) {
			Objects.requireNonNull(wrapper, "wrapper");
			this.wrappers.add(new OrderedWrapper(order, this.wrappers.size(), wrapper));
			return this;
		}

		/** Adds a publish wrapper; the first added is outermost. */
		public Builder publishWrapper(PublishWrapper wrapper) {
			this.publishWrappers.add(Objects.requireNonNull(wrapper, "wrapper"));
			return this;
		}

		public Builder observationRegistry(ObservationRegistry registry) {
			this.observationRegistry = Objects.requireNonNull(registry, "registry");
			return this;
		}

		/** Where the client counts requests, attempts, retries and refused retries; nothing is counted without. */
		public Builder meterRegistry(@Nullable MeterRegistry registry) {
			this.meterRegistry = registry;
			return this;
		}

		public Builder callConvention(@Nullable ClientCallConvention convention) {
			this.callConvention = convention;
			return this;
		}

		public Builder publishConvention(@Nullable PublishConvention convention) {
			this.publishConvention = convention;
			return this;
		}

		/**
		 * Where {@link Client#callAsync} calls start and complete; never an I/O thread. Default: a pool of
		 * {@link DefaultClient#DEFAULT_CALLBACK_THREADS} threads with a queue of
		 * {@value DefaultClient#DEFAULT_CALLBACK_QUEUE}, owned by the client.
		 */
		public Builder callbackExecutor(@Nullable Executor executor) {
			this.callbackExecutor = executor;
			return this;
		}

		/** The timer of retry backoffs; by default one thread owned by the client. */
		public Builder timer(@Nullable ScheduledExecutorService timer) {
			this.timer = timer;
			return this;
		}

		public DefaultClient build() {
			return new DefaultClient(this);
		}

	}

}
