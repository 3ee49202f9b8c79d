package io.micro4j;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micro4j.broker.Broker;
import io.micro4j.broker.memory.MemoryBroker;
import io.micro4j.client.CallOptions;
import io.micro4j.client.Client;
import io.micro4j.client.DefaultClient;
import io.micro4j.codec.Codecs;
import io.micro4j.internal.Arguments;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.runtime.MicroRuntime;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.selector.SelectionStrategy;
import io.micro4j.selector.Selector;
import io.micro4j.server.DefaultServer;
import io.micro4j.server.Server;
import io.micro4j.transport.TransportClient;
import io.micro4j.transport.http.HttpTransportClient;
import io.micro4j.transport.http.HttpTransportServer;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole micro service in one object, as go-micro's {@code micro.NewService}: a server with its handlers, a client,
 * and everything between them, all on the threads of one {@link MicroRuntime}.
 * <pre>{@code
 * try (MicroService greeter = MicroService.builder("greeter").handler(new Greeter()).build()) {
 *     greeter.start();
 *     ...
 * }
 * }</pre>
 * Building creates, in this order: the runtime (unless one is {@linkplain Builder#runtime(MicroRuntime) given}), a
 * {@link MemoryRegistry} and a {@link MemoryBroker} when none are given, a {@link RegistryCache} over the registry, a
 * {@link DefaultSelector} over the cache, an {@link HttpTransportClient} and a {@link DefaultClient}, an
 * {@link HttpTransportServer} and a {@link DefaultServer} with the handlers. {@link #start()} starts the server
 * (binds, subscribes, registers). {@link #close()} stops in the reverse order: the server (deregister, drain, close
 * the transport), the client, the transport client, the selector, the cache, then what the service created itself:
 * the broker, the registry and the runtime. Given components are never closed.
 * <p>
 * The builder is read once, by {@link Builder#build()}. Thread-safe.
 */
public final class MicroService implements AutoCloseable {

	/** How long the selector's health probe waits for a connection. */
	static final java.time.Duration PROBE_TIMEOUT = java.time.Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(MicroService.class);

	private final String name;

	private final MicroRuntime runtime;

	private final Registry registry;

	private final Broker broker;

	private final RegistryCache registryCache;

	private final DefaultSelector selector;

	private final HttpTransportClient transportClient;

	private final DefaultClient client;

	private final DefaultServer server;

	/** What {@link #close()} closes, last created first. */
	private final Deque<AutoCloseable> closeOrder;

	private final AtomicBoolean closed = new AtomicBoolean();

	private MicroService(String name, MicroRuntime runtime, Registry registry, Broker broker,
			RegistryCache registryCache, DefaultSelector selector, HttpTransportClient transportClient,
			DefaultClient client, DefaultServer server, Deque<AutoCloseable> closeOrder) {
		this.name = name;
		this.runtime = runtime;
		this.registry = registry;
		this.broker = broker;
		this.registryCache = registryCache;
		this.selector = selector;
		this.transportClient = transportClient;
		this.client = client;
		this.server = server;
		this.closeOrder = closeOrder;
	}

	/** A builder of service {@code name} (the name it registers under). */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/** The service name. */
	public String name() {
		return this.name;
	}

	/**
	 * Starts the server: binds the transport, subscribes the subscribers and registers the node.
	 * @return this service
	 * @throws IllegalStateException when started before, closed, or the address cannot be bound
	 */
	public MicroService start() {
		if (this.closed.get()) {
			throw new IllegalStateException("micro service " + this.name + " is closed");
		}
		this.server.start();
		return this;
	}

	/** The address the server is bound to; empty before {@link #start()} and after {@link #close()}. */
	public Optional<InetSocketAddress> boundAddress() {
		return this.server.isRunning() ? this.server.boundAddress() : Optional.empty();
	}

	/** The client: calls other services (or this one) through the registry, on the runtime's threads. */
	public Client client() {
		return this.client;
	}

	/**
	 * The server: add {@linkplain Server#subscribe subscribers} or more {@linkplain Server#handle handlers} here
	 * before {@link #start()}.
	 */
	public Server server() {
		return this.server;
	}

	/** The threads everything runs on. */
	public MicroRuntime runtime() {
		return this.runtime;
	}

	/** The registry the server registers in (given, or the service's own {@link MemoryRegistry}). */
	public Registry registry() {
		return this.registry;
	}

	/** The broker (given, or the service's own {@link MemoryBroker}). */
	public Broker broker() {
		return this.broker;
	}

	/** The client's cached view of the registry. */
	public RegistryCache registryCache() {
		return this.registryCache;
	}

	/** The client's selector. */
	public Selector selector() {
		return this.selector;
	}

	/**
	 * Stops the server (deregister, drain calls in flight, close the transport), then closes the client, the transport
	 * client, the selector, the registry cache and whatever the service created itself: broker, registry, runtime.
	 * A failure of one step is logged and the next still runs. Closing again does nothing.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		for (AutoCloseable closeable : this.closeOrder) {
			closeQuietly(closeable);
		}
	}

	@Override
	public String toString() {
		return "MicroService[" + this.name + (this.closed.get() ? ", closed" : "") + "]";
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			logger.warn("closing {} failed: {}", closeable, ex.toString());
		}
	}

	/** Builds a {@link MicroService}; each option is checked when set, and read once by {@link #build()}. */
	public static final class Builder {

		private final String name;

		private @Nullable MicroRuntime runtime;

		private @Nullable Registry registry;

		private @Nullable Broker broker;

		private String version = io.micro4j.registry.Service.DEFAULT_VERSION;

		private String address = ":0";

		private @Nullable String advertise;

		private final Map<String, String> metadata = new LinkedHashMap<>();

		private final List<Map.Entry<@Nullable String, Object>> handlers = new ArrayList<>();

		private Codecs codecs = Codecs.defaults();

		private SelectionStrategy strategy = SelectionStrategy.random();

		private @Nullable CallOptions callOptions;

		private final Map<String, TransportClient> protocolTransports = new LinkedHashMap<>();

		private @Nullable Duration registerTtl;

		private @Nullable Duration registerInterval;

		private @Nullable Duration drainTimeout;

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private Builder(String name) {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("name: '" + name + "' (expected: a service name)");
			}
			this.name = name;
		}

		/**
		 * The threads to run on, shared with others and not closed by the service; by default the service creates
		 * {@link MicroRuntime#create()} and closes it last.
		 */
		public Builder runtime(MicroRuntime runtime) {
			this.runtime = Objects.requireNonNull(runtime, "runtime");
			return this;
		}

		/** The registry to register in and discover from, not closed by the service; by default its own memory one. */
		public Builder registry(Registry registry) {
			this.registry = Objects.requireNonNull(registry, "registry");
			return this;
		}

		/** The broker for subscribers and publishing, not closed by the service; by default its own memory one. */
		public Builder broker(Broker broker) {
			this.broker = Objects.requireNonNull(broker, "broker");
			return this;
		}

		/** The version registered, {@value io.micro4j.registry.Service#DEFAULT_VERSION} by default. */
		public Builder version(String version) {
			this.version = Objects.requireNonNull(version, "version");
			return this;
		}

		/**
		 * The server's listen address {@code host:port}, {@code :0} (all interfaces, a random port) by default.
		 * @throws IllegalArgumentException when it is not {@code host:port}
		 */
		public Builder address(String address) {
			HttpTransportServer.builder().address(Objects.requireNonNull(address, "address"));
			this.address = address;
			return this;
		}

		/** The {@code host:port} to register instead of the bound address; {@code null} (default): the bound one. */
		public Builder advertise(@Nullable String advertise) {
			this.advertise = advertise;
			return this;
		}

		/** Adds node metadata to register. */
		public Builder metadata(String key, String value) {
			this.metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
			return this;
		}

		/**
		 * Adds a handler named after its class: each endpoint method (a public method taking a request, see
		 * {@link io.micro4j.server.Server#handle(String, Object)}) becomes endpoint {@code <Class>.<Method>}.
		 * Checked when building.
		 */
		public Builder handler(Object handler) {
			this.handlers.add(new java.util.AbstractMap.SimpleImmutableEntry<>(null,
					Objects.requireNonNull(handler, "handler")));
			return this;
		}

		/** Adds a handler whose endpoints are {@code <name>.<Method>}. Checked when building. */
		public Builder handler(String name, Object handler) {
			this.handlers.add(new java.util.AbstractMap.SimpleImmutableEntry<>(Objects.requireNonNull(name, "name"),
					Objects.requireNonNull(handler, "handler")));
			return this;
		}

		/** The codecs of client and server, {@link Codecs#defaults()} by default. */
		public Builder codecs(Codecs codecs) {
			this.codecs = Objects.requireNonNull(codecs, "codecs");
			return this;
		}

		/** How the client picks a node, {@link SelectionStrategy#random()} by default. */
		public Builder strategy(SelectionStrategy strategy) {
			this.strategy = Objects.requireNonNull(strategy, "strategy");
			return this;
		}

		/**
		 * The transport for nodes whose metadata says {@code protocol=<protocol>} ({@code grpc} with micro-grpc's
		 * {@code GrpcTransportClient}); other nodes go through the mucp HTTP transport. The service closes it.
		 */
		public Builder transport(String protocol, TransportClient transport) {
			this.protocolTransports.put(Objects.requireNonNull(protocol, "protocol"),
					Objects.requireNonNull(transport, "transport"));
			return this;
		}

		/** The client's default call options; {@link DefaultClient}'s defaults unless set. */
		public Builder callOptions(CallOptions callOptions) {
			this.callOptions = Objects.requireNonNull(callOptions, "callOptions");
			return this;
		}

		/**
		 * The TTL of the registration; {@link DefaultServer}'s default unless set.
		 * @throws IllegalArgumentException when negative
		 */
		public Builder registerTtl(Duration registerTtl) {
			this.registerTtl = Arguments.nonNegative("registerTtl", registerTtl);
			return this;
		}

		/**
		 * How often the registration is renewed; {@link DefaultServer}'s default unless set.
		 * @throws IllegalArgumentException when negative
		 */
		public Builder registerInterval(Duration registerInterval) {
			this.registerInterval = Arguments.nonNegative("registerInterval", registerInterval);
			return this;
		}

		/**
		 * How long stopping waits for calls in flight; {@link DefaultServer}'s default unless set.
		 * @throws IllegalArgumentException when negative
		 */
		public Builder drainTimeout(Duration drainTimeout) {
			this.drainTimeout = Arguments.nonNegative("drainTimeout", drainTimeout);
			return this;
		}

		/** Where client and server calls are observed; none by default. */
		public Builder observationRegistry(ObservationRegistry observationRegistry) {
			this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
			return this;
		}

		/**
		 * A new service, not yet started; the builder is not read again.
		 * @throws IllegalArgumentException when a handler has no usable method or two handlers share an endpoint
		 * (nothing is left running then)
		 */
		public MicroService build() {
			Deque<AutoCloseable> closeOrder = new ArrayDeque<>();
			try {
				return build(closeOrder);
			}
			catch (RuntimeException ex) {
				closeOrder.forEach(MicroService::closeQuietly);
				throw ex;
			}
		}

		private MicroService build(Deque<AutoCloseable> closeOrder) {
			MicroRuntime rt = this.runtime;
			if (rt == null) {
				rt = MicroRuntime.create();
				closeOrder.push(rt);
			}
			Registry reg = this.registry;
			if (reg == null) {
				MemoryRegistry own = new MemoryRegistry();
				closeOrder.push(own);
				reg = own;
			}
			Broker brk = this.broker;
			if (brk == null) {
				MemoryBroker own = new MemoryBroker();
				closeOrder.push(own);
				brk = own;
			}
			RegistryCache cache = RegistryCache.builder(reg).scheduler(rt.timer()).build();
			closeOrder.push(cache);
			HttpTransportClient transportClient = HttpTransportClient.builder()
				.eventLoopGroup(rt.eventLoopGroup())
				.resolverExecutor(rt.handlerExecutor())
				.build();
			closeOrder.push(transportClient);
			this.protocolTransports.values().forEach(closeOrder::push);
			DefaultSelector selector = DefaultSelector.builder(cache)
				.strategy(this.strategy)
				.prober((node) -> transportClient.probe(node.address(), PROBE_TIMEOUT), rt.timer())
				.build();
			closeOrder.push(selector);
			DefaultClient.Builder clientBuilder = DefaultClient.builder(selector, transportClient)
				.registry(cache)
				.broker(brk)
				.codecs(this.codecs)
				.observationRegistry(this.observationRegistry)
				.timer(rt.timer())
				.callbackExecutor(rt.callbackExecutor());
			this.protocolTransports.forEach(clientBuilder::transport);
			if (this.callOptions != null) {
				clientBuilder.defaultCallOptions(this.callOptions);
			}
			DefaultClient client = clientBuilder.build();
			closeOrder.push(client);
			HttpTransportServer transportServer = HttpTransportServer.builder()
				.address(this.address)
				.eventLoopGroup(rt.eventLoopGroup())
				.build();
			DefaultServer.Builder serverBuilder = DefaultServer.builder(this.name)
				.version(this.version)
				.address(this.address)
				.advertise(this.advertise)
				.metadata(Map.copyOf(this.metadata))
				.registry(reg)
				.broker(brk)
				.transport(transportServer)
				.codecs(this.codecs)
				.executor(rt.handlerExecutor())
				.observationRegistry(this.observationRegistry);
			if (this.registerTtl != null) {
				serverBuilder.registerTtl(this.registerTtl);
			}
			if (this.registerInterval != null) {
				serverBuilder.registerInterval(this.registerInterval);
			}
			if (this.drainTimeout != null) {
				serverBuilder.drainTimeout(this.drainTimeout);
			}
			DefaultServer server = serverBuilder.build();
			closeOrder.push(server);
			for (Map.Entry<@Nullable String, Object> handler : this.handlers) {
				server.handle(handler.getKey(), handler.getValue());
			}
			return new MicroService(this.name, rt, reg, brk, cache, selector, transportClient, client, server,
					closeOrder);
		}

	}

}
