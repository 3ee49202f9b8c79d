package io.micro4j.registry.etcd;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.micro4j.internal.Arguments;
import io.micro4j.registry.Node;
import io.micro4j.registry.Reachability;
import io.micro4j.registry.ReachabilityCheck;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCodec;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.Service;
import io.micro4j.registry.etcd.internal.EtcdConnection;
import io.micro4j.registry.etcd.internal.FollowingSslContext;
import io.micro4j.registry.etcd.internal.NodeRegistration;
import io.micro4j.registry.etcd.internal.PrefixWatch;
import io.micro4j.registry.etcd.internal.RecordReader;
import io.micro4j.transport.TlsOptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * go-micro's etcd registry, named {@code etcd}: the same keys and records, so Java and Go services see each other,
 * without go-micro's and jetcd's robustness defects.
 * <p>
 * <b>Wire.</b> Each node is one key, {@code <prefix><service>/<node id>} ({@value #DEFAULT_PREFIX} by default,
 * {@code /} in names replaced by {@code -}), whose value is the service with exactly that node in go-micro's JSON
 * ({@link RegistryCodec}). {@link #getService} reads the service's keys and merges them into one {@link Service}
 * per version, the first record of a version supplying its metadata and endpoints; {@link #listServices} reads the
 * whole prefix. A record that does not parse is skipped with one warning, never thrown.
 * <p>
 * <b>Leases.</b> Each node key has its own lease with the registration TTL and one long-lived keep-alive stream
 * (not a keep-alive call per interval); a zero TTL writes the key without a lease. Registering an unchanged node
 * whose record is alive sends nothing. When the keep-alive ends or the lease is gone (etcd down for longer than
 * the TTL, the lease revoked, etcd restarted without its data, the process paused) the key is written again with a
 * new lease at once, and retried with back-off while etcd is unreachable.
 * <p>
 * <b>Watches.</b> {@link #watch} lists, then watches from the listing's revision + 1. Every event of a response is
 * delivered (go-micro drops all but the first); a put is {@code create} when it is the key's first version, else
 * {@code update}; a delete carries the record decoded from the previous value. The watch survives compaction and
 * etcd restarts by listing again and delivering the differences; when even that fails, the listener's
 * {@link RegistryListener#onError onError} is called. Events are delivered in order on one thread per registry.
 * <p>
 * <b>Failures.</b> Every call fails fast: after {@linkplain Builder#timeout the timeout} at the latest, and at once
 * when no endpoint accepts connections, with a {@link RegistryException} naming the endpoints (jetcd's defaults
 * would wait for etcd indefinitely). An outage is logged once per registry: one WARN
 * {@code "etcd registry at <endpoints> is unreachable: <cause>"} when a call, watch or keep-alive first fails for
 * want of a connection or an answer, one INFO {@code "... is reachable again after <duration>"} at the next answer,
 * however many registrations, watches and lookups fail in between; {@link #reachability()} reports the same state
 * to health checks. {@link #close()} stops keep-alives and watches and is idempotent; the keys of
 * nodes still registered then expire with their leases.
 */
public final class EtcdRegistry implements Registry, ReachabilityCheck {

	/** go-micro's key prefix. */
	public static final String DEFAULT_PREFIX = "/micro/registry/";

	/** The endpoint used when none is given. */
	public static final String DEFAULT_ENDPOINT = "127.0.0.1:2379";

	/** go-micro's etcd timeout: 5 seconds. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(EtcdRegistry.class);

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private final EtcdConnection etcd;

	private final String prefix;

	private final Map<String, NodeRegistration> registrations = new ConcurrentHashMap<>();

	private final List<PrefixWatch> watches = new CopyOnWriteArrayList<>();

	private final RecordReader reader = new RecordReader();

	private final ScheduledThreadPoolExecutor scheduler;

	private final ExecutorService dispatcher;

	private final Object lock = new Object();

	private volatile boolean closed;

	private EtcdRegistry(String prefix, EtcdConnection etcd) {
		this.prefix = prefix;
		this.etcd = etcd;
		int instance = INSTANCES.incrementAndGet();
		this.scheduler = new ScheduledThreadPoolExecutor(1,
				runnable -> daemon(runnable, "micro-etcd-registry-" + instance));
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.dispatcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				runnable -> daemon(runnable, "micro-etcd-registry-" + instance + "-events"));
	}

	/**
	 * A builder of a registry on {@code endpoints} ({@code host:port} or URLs such as
	 * {@code http://10.0.0.1:2379}); none means {@value #DEFAULT_ENDPOINT}.
	 */
	public static Builder builder(String... endpoints) {
		return new Builder(List.of(endpoints));
	}

	/** A builder of a registry on {@code endpoints}; an empty list means {@value #DEFAULT_ENDPOINT}. */
	public static Builder builder(List<String> endpoints) {
		return new Builder(endpoints);
	}

	@Override
	public String name() {
		return "etcd";
	}

	/**
	 * What this registry's calls and streams have seen of etcd; no I/O.
	 * @return unreachable with when and why from the first failed exchange of an outage to the next answer
	 */
	@Override
	public Reachability reachability() {
		return this.etcd.reachability();
	}

	/** The endpoints as URLs, comma separated. */
	public String endpoints() {
		return this.etcd.endpoints();
	}

	/**
	 * Writes one key per node of {@code service}, each with its own lease of {@code ttl} (none for a zero TTL) kept
	 * alive until {@link #deregister} or {@link #close()}.
	 * @throws IllegalArgumentException if the service has no nodes or {@code ttl} is negative
	 * @throws RegistryException if etcd cannot be reached or refuses the write (a lost registration is also
	 * written again in the background once etcd is back)
	 */
	@Override
	public void register(Service service, Duration ttl) {
		Registry.checkRegistration(service, ttl);
		ensureOpen();
		for (Node node : service.nodes()) {
			String key = nodeKey(service.name(), node.id());
			NodeRegistration registration;
			synchronized (this.lock) {
				ensureOpen();
				registration = this.registrations.computeIfAbsent(key, k -> new NodeRegistration(this.etcd,
						this.scheduler, bytes(k), "node " + node.id() + " of " + service.name()));
			}
			registration.register(RegistryCodec.encodeBytes(service.withNodes(List.of(node))), ttl);
		}
	}

	/**
	 * Deletes the keys of the nodes of {@code service} and stops keeping them alive; keys that do not exist are
	 * ignored.
	 * @throws RegistryException if etcd cannot be reached (the keys then expire with their leases)
	 */
	@Override
	public void deregister(Service service) {
		Objects.requireNonNull(service, "service");
		ensureOpen();
		for (Node node : service.nodes()) {
			String key = nodeKey(service.name(), node.id());
			NodeRegistration registration = this.registrations.remove(key);
			if (registration != null) {
				registration.deregister();
			}
			else {
				this.etcd.delete(bytes(key));
			}
		}
	}

	/**
	 * The versions of service {@code name}, merged from its node records as go-micro merges them.
	 * @return one entry per version, in the order of the keys; empty if the service has no (readable) records
	 * @throws RegistryException if etcd cannot be reached
	 */
	@Override
	public List<Service> getService(String name) {
		Objects.requireNonNull(name, "name");
		ensureOpen();
		return merge(this.etcd.getPrefix(bytes(servicePrefix(name))).getKvs());
	}

	/**
	 * Every service and version under the prefix, nodes included.
	 * @return one entry per service and version; empty if nothing is registered
	 * @throws RegistryException if etcd cannot be reached
	 */
	@Override
	public List<Service> listServices() {
		ensureOpen();
		return merge(this.etcd.getPrefix(bytes(this.prefix)).getKvs());
	}

	/**
	 * Watches service {@code service} (its keys), or every service when {@code null}; changes after this call
	 * returns are delivered.
	 * @throws RegistryException if etcd cannot be reached for the initial listing
	 */
	@Override
	public Watch watch(@Nullable String service, RegistryListener listener) {
		Objects.requireNonNull(listener, "listener");
		ensureOpen();
		String watched = (service != null) ? servicePrefix(service) : this.prefix;
		PrefixWatch watch = PrefixWatch.start(this.etcd, this.dispatcher, bytes(watched), listener, this.reader);
		synchronized (this.lock) {
			if (this.closed) {
				watch.close();
				throw closedException();
			}
			this.watches.add(watch);
		}
		return () -> {
			this.watches.remove(watch);
			watch.close();
		};
	}

	/**
	 * Stops every keep-alive and watch and closes the connection; idempotent. Keys of nodes not deregistered
	 * expire with their leases.
	 */
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
		this.watches.forEach(PrefixWatch::close);
		this.watches.clear();
		this.scheduler.shutdownNow();
		this.dispatcher.shutdown();
		try {
			this.etcd.close();
		}
		catch (RuntimeException ex) {
			logger.debug("Closing the etcd client failed", ex);
		}
	}

	/** The key of node {@code nodeId} of {@code service}: {@code <prefix><service>/<nodeId>}. */
	String nodeKey(String service, String nodeId) {
		return servicePrefix(service) + nodeId.replace('/', '-');
	}

	private String servicePrefix(String service) {
		return this.prefix + service.replace('/', '-') + "/";
	}

	/** go-micro's merge: records grouped by service and version, the first of a group supplying its fields. */
	private List<Service> merge(List<KeyValue> kvs) {
		Map<List<String>, Service> first = new LinkedHashMap<>();
		Map<List<String>, List<Node>> nodes = new LinkedHashMap<>();
		for (KeyValue kv : kvs) {
			Service service = this.reader.read(kv);
			if (service == null) {
				continue;
			}
			List<String> version = List.of(service.name(), service.version());
			first.putIfAbsent(version, service);
			nodes.computeIfAbsent(version, v -> new ArrayList<>()).addAll(service.nodes());
		}
		List<Service> merged = new ArrayList<>(first.size());
		first.forEach((version, service) -> merged.add(service.withNodes(nodes.get(version))));
		return List.copyOf(merged);
	}

	private void ensureOpen() {
		if (this.closed) {
			throw closedException();
		}
	}

	private RegistryException closedException() {
		return new RegistryException("etcd registry (" + this.etcd.endpoints() + ") is closed");
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

	/**
	 * Builds an {@link EtcdRegistry}. Endpoints, timeout, credentials, TLS and the key prefix; everything else is
	 * jetcd's default, reachable through {@link #customize}.
	 */
	public static final class Builder {

		private final List<String> endpoints;

		private Duration timeout = DEFAULT_TIMEOUT;

		private @Nullable String username;

		private @Nullable String password;

		private @Nullable Path trustCertificates;

		private @Nullable Path clientCertificate;

		private @Nullable Path clientKey;

		private @Nullable Supplier<TlsOptions> tls;

		private String prefix = DEFAULT_PREFIX;

		private final List<Consumer<ClientBuilder>> customizers = new ArrayList<>();

		private Builder(List<String> endpoints) {
			Objects.requireNonNull(endpoints, "endpoints");
			List<String> trimmed = new ArrayList<>();
			for (String endpoint : endpoints) {
				Objects.requireNonNull(endpoint, "endpoint");
				if (endpoint.isBlank()) {
					throw new IllegalArgumentException("endpoints: " + endpoints + " (expected: host:port or URLs)");
				}
				trimmed.add(endpoint.trim());
			}
			this.endpoints = trimmed.isEmpty() ? List.of(DEFAULT_ENDPOINT) : List.copyOf(trimmed);
		}

		/**
		 * The bound of every call to etcd (connecting included), 5 seconds by default ({@link #DEFAULT_TIMEOUT}); a
		 * call that takes longer fails with a {@link RegistryException}.
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = Arguments.positive("timeout", timeout);
			return this;
		}

		/** The user to authenticate as (etcd's auth); set together with {@link #password}. */
		public Builder username(@Nullable String username) {
			this.username = (username != null && !username.isEmpty()) ? username : null;
			return this;
		}

		/** The password of {@link #username}. */
		public Builder password(@Nullable String password) {
			this.password = (password != null && !password.isEmpty()) ? password : null;
			return this;
		}

		/**
		 * Connects with TLS, trusting the CA certificates in the PEM file {@code caFile}; endpoints without a scheme
		 * then use {@code https}.
		 */
		public Builder trustCertificates(Path caFile) {
			this.trustCertificates = readable("trustCertificates", caFile);
			return this;
		}

		/** Connects with TLS, presenting the client certificate chain and PKCS#8 key in these PEM files. */
		public Builder clientCertificate(Path certificateFile, Path keyFile) {
			this.clientCertificate = readable("clientCertificate", certificateFile);
			this.clientKey = readable("clientKey", keyFile);
			return this;
		}

		/**
		 * Connects with TLS, asking {@code tls} for the options of each new connection: the CAs that sign etcd's
		 * certificate (the JDK's when none), the client certificate for etcd's client certificate auth, protocols
		 * and cipher suites. A supplier that returns new options after certificate files changed (Spring Boot's SSL
		 * bundle reloading) puts them into effect for the next connection; open connections keep theirs. The host
		 * name is always verified, so options with {@link TlsOptions#verifyHostname()} off are refused. Endpoints
		 * without a scheme then use {@code https}. Not together with {@link #trustCertificates} or
		 * {@link #clientCertificate}.
		 */
		public Builder tls(Supplier<TlsOptions> tls) {
			this.tls = Objects.requireNonNull(tls, "tls");
			return this;
		}

		/** The key prefix, {@value #DEFAULT_PREFIX} by default (go-micro's); it must start and end with {@code /}. */
		public Builder prefix(String prefix) {
			Objects.requireNonNull(prefix, "prefix");
			if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
				throw new IllegalArgumentException("prefix: " + prefix + " (expected: starting and ending with /)");
			}
			this.prefix = prefix;
			return this;
		}

		/**
		 * Applies {@code customizer} to jetcd's client builder after the settings above (and before the fail-fast
		 * settings, which always win).
		 */
		public Builder customize(Consumer<ClientBuilder> customizer) {
			this.customizers.add(Objects.requireNonNull(customizer, "customizer"));
			return this;
		}

		/**
		 * The registry; it connects lazily, so an unreachable etcd fails the first call, not this one.
		 * @throws IllegalArgumentException if an endpoint is malformed, only one of username and password is set,
		 * the TLS files or options cannot be used, or both TLS options and TLS files are set
		 */
		public EtcdRegistry build() {
			if ((this.username == null) != (this.password == null)) {
				throw new IllegalArgumentException("username and password: only one is set (expected: both or none)");
			}
			boolean files = this.trustCertificates != null || this.clientCertificate != null;
			if (files && this.tls != null) {
				throw new IllegalArgumentException("tls and trustCertificates/clientCertificate: both are set "
						+ "(expected: TLS options or TLS files, not both)");
			}
			boolean tls = files || this.tls != null;
			List<String> urls = new ArrayList<>();
			for (String endpoint : this.endpoints) {
				urls.add(url(endpoint, tls));
			}
			ClientBuilder client = Client.builder().endpoints(urls.toArray(String[]::new));
			if (this.username != null && this.password != null) {
				client.user(bytes(this.username)).password(bytes(this.password));
			}
			if (this.tls != null) {
				client.sslContext(new FollowingSslContext(this.tls));
			}
			else if (tls) {
				try {
					client.sslContext(ssl -> {
						if (this.trustCertificates != null) {
							ssl.trustManager(this.trustCertificates.toFile());
						}
						if (this.clientCertificate != null && this.clientKey != null) {
							ssl.keyManager(this.clientCertificate.toFile(), this.clientKey.toFile());
						}
					});
				}
				catch (SSLException | RuntimeException ex) {
					throw new IllegalArgumentException("TLS settings cannot be used: " + ex.getMessage(), ex);
				}
			}
			this.customizers.forEach(customizer -> customizer.accept(client));
			return new EtcdRegistry(this.prefix, new EtcdConnection(client, urls, this.timeout, logger));
		}

		private static String url(String endpoint, boolean tls) {
			String url = endpoint.contains("://") ? endpoint : ((tls ? "https://" : "http://") + endpoint);
			URI uri;
			try {
				uri = URI.create(url);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("endpoint: " + endpoint + " (expected: host:port or a URL)", ex);
			}
			if (uri.getHost() == null || uri.getPort() < 0
					|| !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
				throw new IllegalArgumentException("endpoint: " + endpoint + " (expected: host:port or a URL)");
			}
			return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
		}

		private static Path readable(String name, Path file) {
			Objects.requireNonNull(file, name);
			if (!Files.isReadable(file)) {
				throw new IllegalArgumentException(name + ": " + file + " (expected: a readable PEM file)");
			}
			return file;
		}

	}

}
