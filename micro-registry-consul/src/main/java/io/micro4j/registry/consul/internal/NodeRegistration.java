package io.micro4j.registry.consul.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.micro4j.registry.Node;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.Service;
import io.micro4j.registry.consul.ConsulTags;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's registration with the agent, as go-micro makes it, plus self-healing: the agent is asked every
 * heartbeat whether it still holds the service, and the service is registered again at once when it does not (agent
 * restarted, service deregistered by someone else). While the agent is unreachable the check is retried every
 * 100 ms to 1 s. The heartbeat only acts while the owner keeps registering (within each TTL), so a node whose owner
 * stopped expires as the TTL says.
 */
public final class NodeRegistration implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(NodeRegistration.class);

	private static final long MIN_RETRY_MILLIS = 100;

	private static final long MAX_RETRY_MILLIS = 1000;

	private final ConsulHttp http;

	private final ScheduledExecutorService scheduler;

	private final Duration heartbeat;

	private final String id;

	private final String description;

	private @Nullable Map<String, Object> body;

	private Duration ttl = Duration.ZERO;

	private long renewedAt;

	private boolean registered;

	private boolean failing;

	private long retry = MIN_RETRY_MILLIS;

	private @Nullable ScheduledFuture<?> task;

	private boolean closed;

	/** The registration of node {@code id}; nothing is sent before {@link #register}. */
	public NodeRegistration(ConsulHttp http, ScheduledExecutorService scheduler, Duration heartbeat, String id,
			String description) {
		this.http = http;
		this.scheduler = scheduler;
		this.heartbeat = heartbeat;
		this.id = id;
		this.description = description;
	}

	/**
	 * Registers {@code service} (one node) with {@code ttl}: an unchanged, registered service with a TTL only
	 * passes its check (and is registered again if that fails); anything else is a full registration followed by
	 * a pass.
	 * @throws RegistryException if the agent is unreachable or refuses (the heartbeat keeps trying)
	 */
	public synchronized void register(Service service, Duration ttl) {
		if (this.closed) {
			return;
		}
		Map<String, Object> next = body(service, ttl);
		boolean unchanged = this.registered && next.equals(this.body) && ttl.equals(this.ttl);
		this.body = next;
		this.ttl = ttl;
		this.renewedAt = System.nanoTime();
		schedule(this.heartbeat.toMillis());
		if (unchanged && !ttl.isZero()) {
			ConsulHttp.Response pass = this.http.put(passPath(), null);
			if (pass.ok()) {
				return;
			}
			logger.info("Consul {}: passing the TTL of {} failed ({}); registering it again", this.http.base(),
					this.description, pass.summary());
		}
		else if (unchanged) {
			return;
		}
		this.registered = false;
		sendRegistration();
	}

	/**
	 * Deregisters the node and stops the heartbeat; a node the agent does not know is ignored.
	 * @throws RegistryException if the agent is unreachable or refuses
	 */
	public synchronized void deregister() {
		close();
		deregister(this.http, this.id);
	}

	/** Deregisters service {@code id} from the agent, ignoring an unknown id. */
	public static void deregister(ConsulHttp http, String id) {
		String path = "/v1/agent/service/deregister/" + ConsulHttp.segment(id);
		ConsulHttp.Response response = http.put(path, null);
		if (!response.ok() && response.status() != 404) {
			throw new RegistryException("Consul " + http.base() + ": PUT " + path + " answered " + response.summary());
		}
	}

	/** Stops the heartbeat; the agent keeps the service until its check has been critical long enough. */
	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.task != null) {
			this.task.cancel(false);
			this.task = null;
		}
	}

	private void sendRegistration() {
		ConsulHttp.Response response = this.http.put("/v1/agent/service/register", this.body);
		if (!response.ok()) {
			throw new RegistryException("Consul " + this.http.base() + ": registering " + this.description
					+ " answered " + response.summary());
		}
		if (!this.ttl.isZero()) {
			ConsulHttp.Response pass = this.http.put(passPath(), null);
			if (!pass.ok()) {
				throw new RegistryException("Consul " + this.http.base() + ": passing the TTL check of "
						+ this.description + " answered " + pass.summary());
			}
		}
		this.registered = true;
	}

	private synchronized void beat() {
		this.task = null;
		if (this.closed || this.body == null) {
			return;
		}
		if (!this.ttl.isZero() && System.nanoTime() - this.renewedAt > this.ttl.toNanos()) {
			// the owner stopped registering: let the TTL check expire
			return;
		}
		try {
			ConsulHttp.Response response = this.http.get("/v1/agent/service/" + ConsulHttp.segment(this.id));
			if (response.status() == 404) {
				logger.info("Consul {} does not hold {} (agent restarted?): registering it again", this.http.base(),
						this.description);
				this.registered = false;
				sendRegistration();
			}
			else if (!response.ok()) {
				throw new RegistryException("Consul " + this.http.base() + ": reading " + this.description
						+ " answered " + response.summary());
			}
			if (this.failing) {
				this.failing = false;
				logger.debug("Consul {} reachable again; {} is registered", this.http.base(), this.description);
			}
			this.retry = MIN_RETRY_MILLIS;
			schedule(this.heartbeat.toMillis());
		}
		catch (RegistryException ex) {
			if (!this.failing) {
				this.failing = true;
				logger.debug("{}; retrying", ex.detail());
			}
			schedule(this.retry);
			this.retry = Math.min(this.retry * 2, MAX_RETRY_MILLIS);
		}
	}

	private void schedule(long delayMillis) {
		if (this.closed) {
			return;
		}
		if (this.task != null) {
			this.task.cancel(false);
		}
		try {
			this.task = this.scheduler.schedule(this::beat, delayMillis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closing
		}
	}

	private String passPath() {
		return "/v1/agent/check/pass/" + ConsulHttp.segment("service:" + this.id);
	}

	/** The agent registration of {@code service}'s one node, as go-micro sends it. */
	static Map<String, Object> body(Service service, Duration ttl) {
		Node node = service.nodes().get(0);
		HostPort address = HostPort.parse(node.address());
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("ID", node.id());
		body.put("Name", service.name());
		body.put("Tags", List.copyOf(ConsulTags.encode(service, node.metadata())));
		body.put("Address", address.host());
		body.put("Port", address.port());
		body.put("Meta", node.metadata());
		if (!ttl.isZero()) {
			Duration deregister = (ttl.compareTo(Duration.ofMinutes(1)) < 0) ? Duration.ofSeconds(65)
					: ttl.plusSeconds(5);
			body.put("Check", Map.of("TTL", GoDuration.format(ttl), "DeregisterCriticalServiceAfter",
					GoDuration.format(deregister)));
		}
		return body;
	}

	/** A node address split into host and port. */
	record HostPort(String host, int port) {

		static HostPort parse(String address) {
			int colon = address.lastIndexOf(':');
			if (colon <= 0 || colon == address.length() - 1) {
				throw new IllegalArgumentException("node address: " + address + " (expected: host:port)");
			}
			String host = address.substring(0, colon);
			if (host.startsWith("[") && host.endsWith("]")) {
				host = host.substring(1, host.length() - 1);
			}
			try {
				int port = Integer.parseInt(address.substring(colon + 1));
				if (port < 0 || port > 65535) {
					throw new NumberFormatException();
				}
				return new HostPort(host, port);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("node address: " + address + " (expected: host:port)");
			}
		}

	}

}
