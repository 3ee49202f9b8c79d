package io.micro4j.client;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

import io.micro4j.broker.Broker;
import io.micro4j.codec.Codecs;
import io.micro4j.metadata.Metadata;
import io.micro4j.observation.ClientCallConvention;
import io.micro4j.observation.PublishConvention;
import io.micro4j.selector.Selector;
import io.micro4j.transport.TransportClient;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The mucp client. Build with {@link #builder(Selector, TransportClient)}.
 */
public final class DefaultClient implements Client {

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
	}

	/** A builder; the selector finds nodes, the transport reaches them. */
	public static Builder builder(Selector selector, TransportClient transport) {
		return new Builder(selector, transport);
	}

	@Override
	public <T> T call(Request request, Type responseType, CallOptions options) {
		throw new UnsupportedOperationException("not yet implemented");
	}

	@Override
	public <T> CompletableFuture<T> callAsync(Request request, Type responseType, CallOptions options) {
		throw new UnsupportedOperationException("not yet implemented");
	}

	@Override
	public void publish(String topic, Object payload, Metadata metadata) {
		throw new UnsupportedOperationException("not yet implemented");
	}

	@Override
	public CallOptions defaultCallOptions() {
		return this.defaultCallOptions;
	}

	@Override
	public void close() {
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
		public Builder broker(Broker broker) {
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

		public Builder callConvention(ClientCallConvention convention) {
			this.callConvention = convention;
			return this;
		}

		public Builder publishConvention(PublishConvention convention) {
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
