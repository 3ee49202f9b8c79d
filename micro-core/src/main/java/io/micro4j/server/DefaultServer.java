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
import java.util.concurrent.ExecutorService;

import io.micro4j.broker.Broker;
import io.micro4j.codec.Codecs;
import io.micro4j.observation.ReceiveConvention;
import io.micro4j.observation.ServerCallConvention;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.transport.TransportServer;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The mucp server. Build with {@link #builder(String)}.
 */
public final class DefaultServer implements Server {

	/** go-micro's library default register interval: 30 seconds. */
	public static final Duration DEFAULT_REGISTER_INTERVAL = Duration.ofSeconds(30);

	/** Default bound on waiting for calls in flight at stop: 10 seconds. */
	public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

	private final Builder options;

	private final String nodeId;

	private DefaultServer(Builder b) {
		this.options = b;
		this.nodeId = b.name + "-" + b.id;
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
	public void handle(@Nullable String name, Object handler) {
		throw new UnsupportedOperationException("not yet implemented");
	}

	@Override
	public void subscribe(String topic, @Nullable String queue, Object bean, Method method) {
		throw new UnsupportedOperationException("not yet implemented");
	}

	@Override
	public void start() {
		throw new UnsupportedOperationException("not yet implemented");
	}

	@Override
	public void stop() {
	}

	@Override
	public boolean isRunning() {
		return false;
	}

	@Override
	public Optional<InetSocketAddress> boundAddress() {
		return Optional.empty();
	}

	@Override
	public Service service() {
		throw new UnsupportedOperationException("not yet implemented");
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
		public Builder broker(Broker broker) {
			this.broker = broker;
			return this;
		}

		/** The transport; defaults to mucp over HTTP on {@link #address(String)}. */
		public Builder transport(TransportServer transport) {
			this.transport = transport;
			return this;
		}

		public Builder codecs(Codecs codecs) {
			this.codecs = Objects.requireNonNull(codecs, "codecs");
			return this;
		}

		/** Registration TTL, 90 s by default; zero registers without expiry. */
		public Builder registerTtl(Duration ttl) {
			if (ttl.isNegative()) {
				throw new IllegalArgumentException("registerTtl: " + ttl + " (expected: >= 0)");
			}
			this.registerTtl = ttl;
			return this;
		}

		/** How often the registration is renewed, 30 s by default; zero disables renewal. */
		public Builder registerInterval(Duration interval) {
			if (interval.isNegative()) {
				throw new IllegalArgumentException("registerInterval: " + interval + " (expected: >= 0)");
			}
			this.registerInterval = interval;
			return this;
		}

		/** How long to keep serving after deregistering, so clients see the change before the port closes. */
		public Builder deregisterDelay(Duration delay) {
			if (delay.isNegative()) {
				throw new IllegalArgumentException("deregisterDelay: " + delay + " (expected: >= 0)");
			}
			this.deregisterDelay = delay;
			return this;
		}

		/** The bound on waiting for calls in flight at stop, 10 s by default. */
		public Builder drainTimeout(Duration timeout) {
			if (timeout.isNegative()) {
				throw new IllegalArgumentException("drainTimeout: " + timeout + " (expected: >= 0)");
			}
			this.drainTimeout = timeout;
			return this;
		}

		/** The executor handlers run on; by default a bounded pool owned by the server. */
		public Builder executor(ExecutorService executor) {
			this.executor = executor;
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

		public Builder callConvention(ServerCallConvention convention) {
			this.callConvention = convention;
			return this;
		}

		public Builder receiveConvention(ReceiveConvention convention) {
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
