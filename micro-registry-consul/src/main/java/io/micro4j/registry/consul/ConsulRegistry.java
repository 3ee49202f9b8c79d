package io.micro4j.registry.consul;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.micro4j.internal.Arguments;
import io.micro4j.internal.OutageTracker;
import io.micro4j.registry.Node;
import io.micro4j.registry.Reachability;
import io.micro4j.registry.ReachabilityCheck;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryEvent;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.Service;
import io.micro4j.registry.consul.internal.BlockingQuery;
import io.micro4j.registry.consul.internal.ConsulHttp;
import io.micro4j.registry.consul.internal.EntryReader;
import io.micro4j.registry.consul.internal.HttpClients;
import io.micro4j.registry.consul.internal.NodeRegistration;
import io.micro4j.registry.consul.internal.ServiceWatch;
import io.micro4j.transport.TlsOptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * go-micro's Consul registry, named {@code consul}: the same agent registrations, tags and health reads, so Java and
 * Go services see each other, with push-style watches and self-healing registrations.
 * <p>
 * <b>Wire.</b> Each node is one agent service ({@code PUT /v1/agent/service/register}): {@code ID} the node id,
 * {@code Name} the service, {@code Address}/{@code Port} from the node address, {@code Meta} the node metadata, and
 * go-micro's tags ({@link ConsulTags}: {@code t-} per metadata entry, {@code e-} per endpoint, {@code v-} the
 * version). A non-zero TTL adds go-micro's TTL check ({@code TTL} the TTL, {@code DeregisterCriticalServiceAfter}
 * the TTL plus 5 s, at least {@code 1m5s}), passed right after registering and on every later registration of the
 * unchanged node; a failed pass registers the node again. {@link #getService} reads
 * {@code /v1/health/service/<name>}, drops nodes with a critical check, groups entries by version (the first entry
 * of a version supplying the endpoints) and takes the address from the service, else from the agent's node. A
 * malformed tag or entry is skipped with one warning.
 * <p>
 * <b>Self-healing.</b> Every {@linkplain Builder#heartbeat heartbeat} each registered node asks the agent whether it
 * still holds it and registers again at once when not (a dev agent restarted, someone deregistered it); while the
 * agent is unreachable it retries every 100 ms to 1 s. The heartbeat acts only while the owner registers within
 * each TTL, so an abandoned node still expires.
 * <p>
 * <b>Watches.</b> {@link #watch} reads the service once, then holds a blocking query on its health
 * ({@code index}/{@code wait}; the read timeout is the wait plus Consul's jitter of wait/16 plus the
 * {@linkplain Builder#timeout timeout}) and diffs every answer into {@code create}/{@code update}/{@code delete}
 * events per node. Watching all services adds a blocking query on the catalog's service names, each name then
 * watched the same way. Failed queries are retried with back-off and never end the watch; after a disruption
 * (failed queries, or Consul's index going back), deletions are held back for the
 * {@linkplain Builder#recoveryGrace recovery grace} so that owners can register again before clients drop their
 * nodes.
 * <p>
 * <b>Failures.</b> Every call is bounded by the timeout and fails with a {@link RegistryException} naming the agent.
 * An outage is logged once per registry (one WARN {@code "Consul registry at <agent> is unreachable: <cause>"} when
 * an exchange first fails for want of a connection or an answer, or the agent answers 5xx; one INFO
 * {@code "... is reachable again after <duration>"} at the next answer), however many registrations, watches and
 * lookups fail in between; {@link #reachability()} reports the same state to health checks.
 * The ACL token travels in the {@code X-Consul-Token} header, never in a URL. {@link #close()} stops heartbeats and
 * watches and is idempotent; nodes still registered then expire with their TTL checks.
 */
public final class ConsulRegistry implements Registry, ReachabilityCheck {

	/** The agent address used when none is given. */
	public static final String DEFAULT_ADDRESS = "127.0.0.1:8500";

	/** The bound of every call: 5 seconds. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	/** The wait of a blocking query: 5 minutes, Consul's own default. */
	public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

	/** How often a registered node checks that the agent still holds it: 5 seconds. */
	public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);

	/** How long deletions are held back after a watch was disrupted: 10 seconds. */
	public static final Duration DEFAULT_RECOVERY_GRACE = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(ConsulRegistry.class);

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private final ConsulHttp http;

	private final OutageTracker outage;

	private final Duration wait;

	private final Duration heartbeat;

	private final Duration recoveryGrace;

	private final Map<String, NodeRegistration> registrations = new ConcurrentHashMap<>();

	private final List<AutoCloseable> watches = new CopyOnWriteArrayList<>();

	private final EntryReader reader = new EntryReader();

	private final ScheduledThreadPoolExecutor scheduler;

	private final ExecutorService dispatcher;

	private final ExecutorService io;

	private final Object lock = new Object();

	private volatile boolean closed;

	private ConsulRegistry(Builder builder, URI base, @Nullable SSLContext sslContext) {
		int instance = INSTANCES.incrementAndGet();
		this.wait = builder.wait;
		this.heartbeat = builder.heartbeat;
		this.recoveryGrace = builder.recoveryGrace;
		this.scheduler = new ScheduledThreadPoolExecutor(1,
				runnable -> daemon(runnable, "micro-consul-registry-" + instance));
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.dispatcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				runnable -> daemon(runnable, "micro-consul-registry-" + instance + "-events"));
		this.io = Executors.newCachedThreadPool(runnable -> daemon(runnable, "micro-consul-registry-" + instance
				+ "-http"));
		String agent = base.toString();
		this.outage = new OutageTracker(logger,
				"Consul registry at " + (agent.endsWith("/") ? agent.substring(0, agent.length() - 1) : agent));
		HttpClients clients;
		try {
			clients = (builder.tlsOptions != null)
					? HttpClients.following(builder.tlsOptions, builder.timeout, this.io)
					: HttpClients.fixed(builder.timeout, this.io, sslContext);
		}
		catch (RuntimeException ex) {
			this.scheduler.shutdownNow();
			this.dispatcher.shutdownNow();
			this.io.shutdownNow();
			throw ex;
		}
		this.http = new ConsulHttp(base, builder.token, builder.timeout, clients, this.outage);
	}

	/**
	 * A builder of a registry on the agent at {@code address} ({@code host:port}, or a URL such as
	 * {@code https://10.0.0.1:8501}); {@code null} or blank means {@value #DEFAULT_ADDRESS}.
	 */
	public static Builder builder(@Nullable String address) {
		return new Builder(address);
	}

	@Override
	public String name() {
		return "consul";
	}

	/**
	 * What this registry's exchanges with the agent have seen; no I/O.
	 * @return unreachable with when and why from the first failed exchange of an outage to the next answer
	 */
	@Override
	public Reachability reachability() {
		return this.outage.reachability();
	}

	/** The agent's URL. */
	public URI address() {
		return this.http.base();
	}

	/**
	 * Registers every node of {@code service} with the agent as go-micro does, with a TTL check unless {@code ttl}
	 * is zero, and keeps checking that the agent holds them.
	 * @throws IllegalArgumentException if the service has no nodes, a node address is not {@code host:port}, or
	 * {@code ttl} is negative
	 * @throws RegistryException if the agent cannot be reached or refuses (a node is registered again in the
	 * background once the agent is back)
	 */
	@Override
	public void register(Service service, Duration ttl) {
		Registry.checkRegistration(service, ttl);
		ensureOpen();
		for (Node node : service.nodes()) {
			NodeRegistration registration;
			synchronized (this.lock) {
				ensureOpen();
				registration = this.registrations.computeIfAbsent(node.id(), id -> new NodeRegistration(this.http,
						this.scheduler, this.heartbeat, id, "node " + id + " of " + service.name()));
			}
			Service one = service.withNodes(List.of(node));
			registration.register(one, ttl);
			announce(RegistryEvent.Type.UPDATE, one);
		}
	}

	/**
	 * Deregisters the nodes of {@code service} from the agent; nodes the agent does not hold are ignored.
	 * @throws RegistryException if the agent cannot be reached (TTL checks then expire the nodes)
	 */
	@Override
	public void deregister(Service service) {
		Objects.requireNonNull(service, "service");
		ensureOpen();
		for (Node node : service.nodes()) {
			NodeRegistration registration = this.registrations.remove(node.id());
			if (registration != null) {
				registration.deregister();
			}
			else {
				NodeRegistration.deregister(this.http, node.id());
			}
			announce(RegistryEvent.Type.DELETE, service.withNodes(List.of(node)));
		}
	}

	/** Tells this registry's watches of a change it made (create or update is decided by each watch). */
	private void announce(RegistryEvent.Type type, Service one) {
		for (AutoCloseable watch : this.watches) {
			if (watch instanceof ServiceWatch serviceWatch && serviceWatch.name().equals(one.name())) {
				serviceWatch.local(type, one);
			}
			else if (watch instanceof AllServicesWatch all) {
				all.local(type, one);
			}
		}
	}

	/**
	 * The versions of service {@code name} from Consul's health API, as go-micro reads them.
	 * @return one entry per version; empty if no node of the service is registered and not critical
	 * @throws RegistryException if the agent cannot be reached or refuses
	 */
	@Override
	public List<Service> getService(String name) {
		Objects.requireNonNull(name, "name");
		ensureOpen();
		return this.reader.read(name, health(name).json);
	}

	/**
	 * Every service in Consul's catalog with its versions and nodes (services without readable entries are left
	 * out).
	 * @throws RegistryException if the agent cannot be reached or refuses
	 */
	@Override
	public List<Service> listServices() {
		ensureOpen();
		List<Service> all = new ArrayList<>();
		for (String name : catalogNames(getJson("/v1/catalog/services?stale").json)) {
			all.addAll(getService(name));
		}
		return List.copyOf(all);
	}

	/**
	 * Watches service {@code service} (every service when {@code null}) with blocking queries; changes after this
	 * call returns are delivered, in order, on one thread per registry. The watch retries failed queries until it
	 * is closed; {@link RegistryListener#onError} is not called.
	 * @throws RegistryException if the first read fails
	 */
	@Override
	public Watch watch(@Nullable String service, RegistryListener listener) {
		Objects.requireNonNull(listener, "listener");
		ensureOpen();
		AutoCloseable watch = (service != null) ? startServiceWatch(service, listener, true)
				: new AllServicesWatch(listener);
		synchronized (this.lock) {
			if (this.closed) {
				closeQuietly(watch);
				throw closedException();
			}
			this.watches.add(watch);
		}
		return () -> {
			this.watches.remove(watch);
			closeQuietly(watch);
		};
	}

	/** Stops heartbeats and watches; idempotent. Nodes not deregistered expire with their TTL checks. */
	@Override
	public void close() {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
		}
		this.registrations.values().forEach(NodeRegistration::close);
		this.registrations.clear();
		this.watches.forEach(ConsulRegistry::closeQuietly);
		this.watches.clear();
		this.scheduler.shutdownNow();
		this.dispatcher.shutdown();
		this.io.shutdownNow();
	}

	private ServiceWatch startServiceWatch(String name, RegistryListener listener, boolean readFirst) {
		long index = 0;
		List<Service> initial = List.of();
		if (readFirst) {
			Answer answer = health(name);
			index = answer.index;
			initial = this.reader.read(name, answer.json);
		}
		return ServiceWatch.start(this.http, name, index, initial, this.wait, this.recoveryGrace, this.scheduler,
				this.dispatcher, listener, this.reader);
	}

	private Answer health(String name) {
		return getJson(ServiceWatch.healthPath(name));
	}

	private Answer getJson(String path) {
		ConsulHttp.Response response = this.http.get(path);
		if (!response.ok()) {
			throw new RegistryException("Consul " + this.http.base() + ": GET " + path + " answered "
					+ response.summary());
		}
		JsonNode json = response.json()
			.orElseThrow(() -> new RegistryException("Consul " + this.http.base() + ": GET " + path
					+ " answered no JSON: " + response.summary()));
		return new Answer(json, Math.max(response.index(), 1));
	}

	private static List<String> catalogNames(JsonNode catalog) {
		List<String> names = new ArrayList<>();
		catalog.propertyNames().forEach(names::add);
		return names;
	}

	private void ensureOpen() {
		if (this.closed) {
			throw closedException();
		}
	}

	private RegistryException closedException() {
		return new RegistryException("Consul registry (" + this.http.base() + ") is closed");
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			logger.debug("Closing {} failed", closeable, ex);
		}
	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

	private record Answer(JsonNode json, long index) {
	}

	/** A blocking query on the catalog's names plus a {@link ServiceWatch} per name. */
	private final class AllServicesWatch implements AutoCloseable {

		private final RegistryListener listener;

		private final Map<String, ServiceWatch> services = new ConcurrentHashMap<>();

		private final BlockingQuery catalog;

		private volatile boolean closed;

		AllServicesWatch(RegistryListener listener) {
			this.listener = listener;
			Answer answer = getJson("/v1/catalog/services?stale");
			for (String name : catalogNames(answer.json)) {
				this.services.put(name, startServiceWatch(name, listener, true));
			}
			this.catalog = new BlockingQuery(ConsulRegistry.this.http, "/v1/catalog/services?stale", answer.index,
					() -> ConsulRegistry.this.wait, ConsulRegistry.this.scheduler, ConsulRegistry.this.dispatcher,
					(response, disrupted) -> response.json().ifPresent(this::onCatalog));
			this.catalog.start();
		}

		void local(RegistryEvent.Type type, Service one) {
			if (this.closed) {
				return;
			}
			this.services.computeIfAbsent(one.name(), n -> startServiceWatch(n, this.listener, false)).local(type, one);
		}

		private void onCatalog(JsonNode json) {
			if (this.closed) {
				return;
			}
			for (String name : catalogNames(json)) {
				// a name seen for the first time: its first answer announces every node as created
				this.services.computeIfAbsent(name, n -> startServiceWatch(n, this.listener, false));
			}
		}

		@Override
		public void close() {
			this.closed = true;
			this.catalog.close();
			this.services.values().forEach(ServiceWatch::close);
		}

	}

	/**
	 * Builds a {@link ConsulRegistry}: the agent address, ACL token, TLS, timeouts, the blocking-query wait, the
	 * heartbeat and the recovery grace.
	 */
	public static final class Builder {

		private final URI address;

		private @Nullable String token;

		private Duration timeout = DEFAULT_TIMEOUT;

		private Duration wait = DEFAULT_WAIT;

		private Duration heartbeat = DEFAULT_HEARTBEAT;

		private Duration recoveryGrace = DEFAULT_RECOVERY_GRACE;

		private @Nullable Path trustCertificates;

		private @Nullable SSLContext sslContext;

		private @Nullable Supplier<TlsOptions> tlsOptions;

		private boolean tls;

		private Builder(@Nullable String address) {
			String given = (address == null || address.isBlank()) ? DEFAULT_ADDRESS : address.trim();
			URI uri;
			try {
				uri = URI.create(given.contains("://") ? given : "http://" + given);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("address: " + address + " (expected: host:port or a URL)");
			}
			if (uri.getHost() == null || uri.getPort() < 0
					|| !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
				throw new IllegalArgumentException("address: " + address + " (expected: host:port or a URL)");
			}
			this.address = uri;
			this.tls = "https".equals(uri.getScheme());
		}

		/** The ACL token, sent in the {@code X-Consul-Token} header of every call; none by default. */
		public Builder token(@Nullable String token) {
			this.token = (token != null && !token.isBlank()) ? token.trim() : null;
			return this;
		}

		/**
		 * The bound of every call (connecting included), 5 seconds by default ({@link #DEFAULT_TIMEOUT}); blocking
		 * queries get it on top of their wait.
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = Arguments.positive("timeout", timeout);
			return this;
		}

		/** The wait of each blocking query, 5 minutes by default ({@link #DEFAULT_WAIT}); Consul caps it at 10. */
		public Builder wait(Duration wait) {
			Arguments.positive("wait", wait);
			if (wait.compareTo(Duration.ofMinutes(10)) > 0) {
				throw new IllegalArgumentException("wait: " + wait + " (expected: <= PT10M)");
			}
			this.wait = wait;
			return this;
		}

		/**
		 * How often each registered node checks that the agent still holds it, registering again when not; 5
		 * seconds by default ({@link #DEFAULT_HEARTBEAT}).
		 */
		public Builder heartbeat(Duration heartbeat) {
			this.heartbeat = Arguments.positive("heartbeat", heartbeat);
			return this;
		}

		/**
		 * How long a watch holds deletions back after it was disrupted (Consul unreachable or restarted without its
		 * state), 10 seconds by default ({@link #DEFAULT_RECOVERY_GRACE}); zero delivers them at once.
		 */
		public Builder recoveryGrace(Duration recoveryGrace) {
			this.recoveryGrace = Arguments.nonNegative("recoveryGrace", recoveryGrace);
			return this;
		}

		/** Whether to use HTTPS (also implied by an {@code https://} address or trusted certificates). */
		public Builder tls(boolean tls) {
			this.tls = tls;
			return this;
		}

		/** Uses HTTPS, trusting the CA certificates in the PEM file {@code caFile}. */
		public Builder trustCertificates(Path caFile) {
			Objects.requireNonNull(caFile, "caFile");
			if (!Files.isReadable(caFile)) {
				throw new IllegalArgumentException("trustCertificates: " + caFile + " (expected: a readable file)");
			}
			this.trustCertificates = caFile;
			this.tls = true;
			return this;
		}

		/** Uses HTTPS with this SSL context (client certificates included); it wins over trusted certificates. */
		public Builder sslContext(SSLContext sslContext) {
			this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
			this.tls = true;
			return this;
		}

		/**
		 * Uses HTTPS, asking {@code tls} for the options of each call: the CAs that sign the agent's certificate
		 * (the JDK's when none), the client certificate (for {@code verify_incoming_https}), protocols and cipher
		 * suites. When the supplier returns new options (Spring Boot's SSL bundle reloading), the next call uses a
		 * new SSL context, so new connections use the new certificates; calls in flight finish on their connection.
		 * The host name is always verified, so options with {@link TlsOptions#verifyHostname()} off are refused.
		 * Not together with {@link #trustCertificates} or {@link #sslContext}.
		 */
		public Builder tls(Supplier<TlsOptions> tls) {
			this.tlsOptions = Objects.requireNonNull(tls, "tls");
			this.tls = true;
			return this;
		}

		/**
		 * The registry; it connects lazily, so an unreachable agent fails the first call, not this one.
		 * @throws IllegalArgumentException if the TLS options cannot be used, or are set together with trusted
		 * certificates or an SSL context
		 */
		public ConsulRegistry build() {
			if (this.tlsOptions != null && (this.trustCertificates != null || this.sslContext != null)) {
				throw new IllegalArgumentException("tls and trustCertificates/sslContext: both are set (expected: TLS "
						+ "options or an SSL context or trusted certificates, one of them)");
			}
			URI base = URI.create((this.tls ? "https" : "http") + "://" + this.address.getRawAuthority() + "/");
			SSLContext context = this.sslContext;
			if (context == null && this.trustCertificates != null) {
				context = trusting(this.trustCertificates);
			}
			return new ConsulRegistry(this, base, context);
		}

		private static SSLContext trusting(Path caFile) {
			try (InputStream in = Files.newInputStream(caFile)) {
				KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
				store.load(null, null);
				int i = 0;
				for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
					store.setCertificateEntry("ca-" + i++, certificate);
				}
				TrustManagerFactory trust = TrustManagerFactory
					.getInstance(TrustManagerFactory.getDefaultAlgorithm());
				trust.init(store);
				SSLContext context = SSLContext.getInstance("TLS");
				context.init(null, trust.getTrustManagers(), null);
				return context;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("could not read " + caFile, ex);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalArgumentException("trustCertificates: " + caFile + " (expected: PEM certificates)",
						ex);
			}
		}

	}

}
