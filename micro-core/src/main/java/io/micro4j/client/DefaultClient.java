package io.micro4j.client;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerException;
import io.micro4j.broker.Message;
import io.micro4j.codec.Codec;
import io.micro4j.codec.CodecException;
import io.micro4j.codec.Codecs;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.CallContext;
import io.micro4j.metadata.Deadline;
import io.micro4j.metadata.Metadata;
import io.micro4j.observation.ClientCallContext;
import io.micro4j.observation.ClientCallConvention;
import io.micro4j.observation.DefaultClientCallConvention;
import io.micro4j.observation.DefaultPublishConvention;
import io.micro4j.observation.MicroObservation;
import io.micro4j.observation.PublishContext;
import io.micro4j.observation.PublishConvention;
import io.micro4j.registry.Node;
import io.micro4j.selector.Next;
import io.micro4j.selector.Selector;
import io.micro4j.transport.TransportClient;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The mucp client. Build with {@link #builder(Selector, TransportClient)}.
 * <p>
 * Each call: the whole call gets a deadline ({@link CallOptions#requestTimeout()}, or the current
 * {@link CallContext}'s deadline when earlier); each attempt selects a node, sends the request with go-micro's
 * headers ({@code Content-Type}, {@code Accept}, {@code Micro-Service}, {@code Micro-Endpoint},
 * {@code Micro-Method}, {@code Micro-Id}, {@code Timeout} in ns) plus the propagated metadata, and reports the
 * outcome to {@link Selector#mark}. A failed attempt is retried on a newly selected node when the
 * {@link RetryPolicy} allows it, after the {@link Backoff} delay, never past the deadline. The call runs inside a
 * Micrometer {@link Observation} (CLIENT kind) whose trace context is injected into the headers.
 */
public final class DefaultClient implements Client {

	private static final String CLIENT_ID = "go.micro.client";

	private final Selector selector;

	private final TransportClient transport;

	private final @Nullable Broker broker;

	private final Codecs codecs;

	private final CallOptions defaultCallOptions;

	private final List<CallWrapper> wrappers;

	private final ObservationRegistry observationRegistry;

	private final @Nullable ClientCallConvention callConvention;

	private final @Nullable PublishConvention publishConvention;

	private final Executor callbackExecutor;

	private final ScheduledExecutorService timer;

	private final AtomicLong sequence = new AtomicLong();

	private final AtomicBoolean closed = new AtomicBoolean();

	private DefaultClient(Builder b) {
		this.selector = b.selector;
		this.transport = b.transport;
		this.broker = b.broker;
		this.codecs = b.codecs;
		this.defaultCallOptions = b.defaultCallOptions;
		this.wrappers = List.copyOf(b.wrappers);
		this.observationRegistry = b.observationRegistry;
		this.callConvention = b.callConvention;
		this.publishConvention = b.publishConvention;
		this.callbackExecutor = b.callbackExecutor;
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
			Thread thread = new Thread(runnable, "micro-client-timer");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		this.timer = scheduler;
	}

	/** A builder; the selector finds nodes, the transport reaches them. */
	public static Builder builder(Selector selector, TransportClient transport) {
		return new Builder(selector, transport);
	}

	@Override
	public <T> T call(Request request, Type responseType, CallOptions options) {
		Call call = start(request, options);
		Response response;
		try {
			// the call's own deadline timer completes the future; the extra second only guards against a lost timer
			response = call.result.get(call.deadline.remainingNanos() + TimeUnit.SECONDS.toNanos(1),
					TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			call.result.cancel(false);
			throw new MicroException(CLIENT_ID, 408, "call interrupted", MicroException.statusText(408), ex);
		}
		catch (ExecutionException ex) {
			throw toMicro(ex.getCause());
		}
		catch (TimeoutException ex) {
			throw MicroException.timeout(CLIENT_ID, "call timeout: deadline exceeded");
		}
		return decode(call, response, responseType);
	}

	@Override
	public <T> CompletableFuture<T> callAsync(Request request, Type responseType, CallOptions options) {
		Call call;
		try {
			call = start(request, options);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(toMicro(ex));
		}
		CompletableFuture<T> result = new CompletableFuture<>();
		call.result.whenComplete((response, error) -> this.callbackExecutor.execute(() -> {
			if (error != null) {
				result.completeExceptionally(toMicro(error));
				return;
			}
			try {
				result.complete(decode(call, response, responseType));
			}
			catch (RuntimeException ex) {
				result.completeExceptionally(ex);
			}
		}));
		return result;
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
		observation.observe(() -> broker.publish(topic, new Message(Metadata.of(headers), body)));
	}

	@Override
	public CallOptions defaultCallOptions() {
		return this.defaultCallOptions;
	}

	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.timer.shutdownNow();
		}
	}

	private Call start(Request request, CallOptions options) {
		if (this.closed.get()) {
			throw new IllegalStateException("client is closed");
		}
		Deadline deadline = Deadline.after(options.requestTimeout());
		CallContext current = CallContext.current();
		if (current.deadline().isPresent()) {
			deadline = deadline.min(current.deadline().get());
		}
		Codec codec = resolveCodec(request);
		Map<String, String> headers = new LinkedHashMap<>();
		current.propagatedMetadata().forEach(headers::put);
		request.metadata().forEach(headers::put);
		ClientCallContext context = new ClientCallContext(request, headers);
		Observation observation = MicroObservation.CLIENT_CALL.observation(this.callConvention,
				new DefaultClientCallConvention(), () -> context, this.observationRegistry);
		observation.start();
		Call call = new Call(request, options, deadline, codec, context, observation);
		try {
			byte[] body = codec.encode(request.body());
			call.prepare(body);
			call.next = select(request, options);
		}
		catch (RuntimeException ex) {
			call.finish(null, ex);
			throw toMicro(ex);
		}
		call.armDeadline();
		call.attempt(0, null);
		return call;
	}

	private Next select(Request request, CallOptions options) {
		if (!options.addresses().isEmpty()) {
			List<Node> nodes = new ArrayList<>();
			for (String address : options.addresses()) {
				nodes.add(new Node(address, address, Map.of("protocol", "mucp")));
			}
			AtomicInteger index = new AtomicInteger();
			return () -> nodes.get(Math.floorMod(index.getAndIncrement(), nodes.size()));
		}
		return this.selector.select(request.service(), options.selectOptions());
	}

	private Codec resolveCodec(Request request) {
		String contentType = request.contentType();
		if (contentType == null) {
			return this.codecs.defaultCodec();
		}
		return this.codecs.forContentType(contentType)
			.orElseThrow(() -> new CodecException(500, "unsupported content type: " + contentType));
	}

	@SuppressWarnings("unchecked")
	private <T> T decode(Call call, Response response, Type responseType) {
		if (responseType == Void.class || responseType == void.class) {
			return null;
		}
		if (responseType == Response.class) {
			return (T) response;
		}
		Codec codec = call.codec;
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

	private static MicroException toMicro(Throwable error) {
		Throwable e = error;
		while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
			e = e.getCause();
		}
		if (e instanceof CancellationException) {
			return MicroException.timeout(CLIENT_ID, "call cancelled");
		}
		return MicroException.from(CLIENT_ID, e);
	}

	/** The state of one call across its attempts. */
	private final class Call {

		final Request request;

		final CallOptions options;

		final Deadline deadline;

		final Codec codec;

		final ClientCallContext context;

		final Observation observation;

		final CompletableFuture<Response> result = new CompletableFuture<>();

		@Nullable Next next;

		private Metadata baseHeaders = Metadata.empty();

		private byte[] body = new byte[0];

		Call(Request request, CallOptions options, Deadline deadline, Codec codec, ClientCallContext context,
				Observation observation) {
			this.request = request;
			this.options = options;
			this.deadline = deadline;
			this.codec = codec;
			this.context = context;
			this.observation = observation;
		}

		/** Freezes the headers every attempt sends (the trace context is in the carrier by now). */
		void prepare(byte[] body) {
			this.body = body;
			Metadata.Builder headers = Metadata.builder();
			this.context.getCarrier().forEach(headers::put);
			this.baseHeaders = headers.put("Content-Type", this.codec.contentType())
				.put("Accept", this.codec.contentType())
				.put("Micro-Service", this.request.service())
				.put("Micro-Endpoint", this.request.endpoint())
				.put("Micro-Method", this.request.endpoint())
				.build();
		}

		void armDeadline() {
			long nanos = this.deadline.remainingNanos();
			var task = DefaultClient.this.timer.schedule(
					() -> finish(null, MicroException.timeout(CLIENT_ID, "call timeout: deadline of %s exceeded",
							this.options.requestTimeout())),
					nanos, TimeUnit.NANOSECONDS);
			this.result.whenComplete((r, e) -> task.cancel(false));
		}

		void attempt(int attempt, @Nullable Throwable previous) {
			if (this.result.isDone()) {
				return;
			}
			if (this.deadline.isExpired()) {
				finish(null, (previous != null) ? previous
						: MicroException.timeout(CLIENT_ID, "call timeout: deadline exceeded"));
				return;
			}
			Duration delay = this.options.backoff().delay(attempt);
			if (delay.isZero() || delay.isNegative()) {
				run(attempt);
			}
			else if (delay.toNanos() >= this.deadline.remainingNanos()) {
				finish(null, (previous != null) ? previous
						: MicroException.timeout(CLIENT_ID, "call timeout: deadline exceeded"));
			}
			else {
				DefaultClient.this.timer.schedule(() -> run(attempt), delay.toNanos(), TimeUnit.NANOSECONDS);
			}
		}

		private void run(int attempt) {
			if (this.result.isDone()) {
				return;
			}
			Node node;
			try {
				node = Objects.requireNonNull(this.next).next();
			}
			catch (RuntimeException ex) {
				finish(null, ex);
				return;
			}
			long attemptNanos = Math.min(this.options.connectionTimeout().toNanos(), this.deadline.remainingNanos());
			Duration attemptTimeout = Duration.ofNanos(Math.max(1, attemptNanos));
			CompletableFuture<Response> future;
			try {
				CallFunction base = (n, req, opts) -> transportCall(n, attemptTimeout);
				CallFunction chain = base;
				for (int i = DefaultClient.this.wrappers.size() - 1; i >= 0; i--) {
					chain = DefaultClient.this.wrappers.get(i).wrap(chain);
				}
				future = chain.call(node, this.request, this.options);
			}
			catch (RuntimeException ex) {
				future = CompletableFuture.failedFuture(ex);
			}
			future.whenComplete((response, error) -> {
				Throwable cause = (error != null) ? unwrap(error) : null;
				DefaultClient.this.selector.mark(this.request.service(), node, cause);
				if (cause == null) {
					finish(response, null);
				}
				else if (attempt < this.options.retries() && !this.deadline.isExpired()
						&& this.options.retryPolicy().shouldRetry(this.request, attempt, cause)) {
					attempt(attempt + 1, cause);
				}
				else {
					finish(null, cause);
				}
			});
		}

		private CompletableFuture<Response> transportCall(Node node, Duration timeout) {
			Metadata headers = this.baseHeaders.toBuilder()
				.put("Micro-Id", Long.toString(DefaultClient.this.sequence.getAndIncrement()))
				.put("Timeout", Long.toString(timeout.toNanos()))
				.build();
			return DefaultClient.this.transport.send(node.address(), new TransportRequest(headers, this.body), timeout)
				.thenApply(Call::toResponse);
		}

		private static Response toResponse(TransportResponse response) {
			String error = response.headers().getOrNull("Micro-Error");
			if (error != null && !error.isEmpty()) {
				throw MicroException.parse(error);
			}
			if (response.status() != 200) {
				String text = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8).trim();
				MicroException parsed = MicroException.parse(text);
				throw new MicroException(parsed.id().isEmpty() ? "go.micro.client.transport" : parsed.id(),
						response.status(), parsed.detail().isEmpty() ? "HTTP status " + response.status() : parsed.detail());
			}
			return new Response(response.headers(), response.body());
		}

		void finish(@Nullable Response response, @Nullable Throwable error) {
			boolean completed = (error == null) ? this.result.complete(response)
					: this.result.completeExceptionally(error);
			if (!completed) {
				return;
			}
			if (error != null) {
				MicroException micro = toMicro(error);
				this.context.setErrorCode(micro.code());
				this.observation.error(micro);
			}
			else {
				this.context.setResponse(response);
			}
			this.observation.stop();
		}

		private static Throwable unwrap(Throwable error) {
			Throwable e = error;
			while (e instanceof CompletionException && e.getCause() != null) {
				e = e.getCause();
			}
			return e;
		}

	}

	/** Builds a {@link DefaultClient}. */
	public static final class Builder {

		private final Selector selector;

		private final TransportClient transport;

		private @Nullable Broker broker;

		private Codecs codecs = Codecs.defaults();

		private CallOptions defaultCallOptions = CallOptions.defaults();

		private final List<CallWrapper> wrappers = new ArrayList<>();

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private @Nullable ClientCallConvention callConvention;

		private @Nullable PublishConvention publishConvention;

		private Executor callbackExecutor = ForkJoinPool.commonPool();

		private Builder(Selector selector, TransportClient transport) {
			this.selector = Objects.requireNonNull(selector, "selector");
			this.transport = Objects.requireNonNull(transport, "transport");
		}

		/** The broker {@link Client#publish} goes through; without one, publishing fails. */
		public Builder broker(@Nullable Broker broker) {
			this.broker = broker;
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

		/** Adds a call wrapper; the first added is outermost. */
		public Builder wrapper(CallWrapper wrapper) {
			this.wrappers.add(Objects.requireNonNull(wrapper, "wrapper"));
			return this;
		}

		public Builder observationRegistry(ObservationRegistry registry) {
			this.observationRegistry = Objects.requireNonNull(registry, "registry");
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

		/** Where {@link Client#callAsync} futures complete; never an I/O thread. Default: the common pool. */
		public Builder callbackExecutor(Executor executor) {
			this.callbackExecutor = Objects.requireNonNull(executor, "executor");
			return this;
		}

		public DefaultClient build() {
			return new DefaultClient(this);
		}

	}

}
