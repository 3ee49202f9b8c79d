package io.micro4j.spring.boot.autoconfigure.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micro4j.spring.boot.autoconfigure.ssl.ServerSslProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the micro server ({@code micro.server.*}): the service identity, the listen address, the limits on
 * its connections and the registration and shutdown timing. Defaults are go-micro's library defaults, except the
 * connection limits, which go-micro does not have.
 */
@ConfigurationProperties("micro.server")
public class MicroServerProperties {

	/**
	 * Whether to run the micro server: register this service and serve its handlers and subscribers.
	 */
	private boolean enabled = true;

	/**
	 * The service name registered in the registry; defaults to spring.application.name.
	 */
	private @Nullable String name;

	/**
	 * The service version registered in the registry.
	 */
	private String version = "latest";

	/**
	 * The listen address as host:port; ":0" listens on all interfaces on a random port.
	 */
	private String address = ":0";

	/**
	 * The wire the server speaks on its address: "mucp" (go-micro's default, over HTTP) or "grpc" (go-micro's gRPC
	 * server wire; needs micro-grpc on the class path).
	 */
	private String protocol = "mucp";

	/**
	 * The address to register instead of the bound one, as host:port, when clients reach this node through another
	 * address (NAT, containers).
	 */
	private @Nullable String advertise;

	/**
	 * User metadata added to the registered node's metadata.
	 */
	private Map<String, String> metadata = new LinkedHashMap<>();

	/**
	 * How long the registration lives in the registry unless renewed; zero registers without expiry.
	 */
	private Duration registerTtl = Duration.ofSeconds(90);

	/**
	 * How often the registration is renewed; zero disables renewal.
	 */
	private Duration registerInterval = Duration.ofSeconds(30);

	/**
	 * How long to keep serving after deregistering at shutdown, so that clients see the change before the port
	 * closes.
	 */
	private Duration deregisterDelay = Duration.ofSeconds(0);

	/**
	 * The bound on waiting for calls in flight at shutdown.
	 */
	private Duration drainTimeout = Duration.ofSeconds(10);

	/**
	 * Whether the message of an unexpected handler exception goes to the caller in the 500's detail. Off: the caller
	 * gets a correlation id, the log the exception with the same id.
	 */
	private boolean exposeExceptionMessages;

	/**
	 * The largest request body accepted; a larger one is answered with a 413 error.
	 */
	private DataSize maxBodySize = DataSize.ofMegabytes(4);

	/**
	 * The number of worker threads that run handlers and subscribers; unset lets the server size its own pool.
	 */
	private @Nullable Integer handlerThreads;

	/**
	 * The number of calls queued for a handler thread before new calls are answered with a 503 error.
	 */
	private int maxQueuedCalls = 10000;

	/**
	 * The number of calls in flight (queued or running) in this server before new calls are answered at once with a
	 * 503 error that clients retry on another node.
	 */
	private int maxConcurrentCalls = 1024;

	/**
	 * Per-endpoint settings keyed by endpoint name, e.g. micro.server.endpoints[Greeter.Hello].max-concurrent-calls
	 * (the brackets keep the dot and the case of the name).
	 */
	private Map<String, Endpoint> endpoints = new LinkedHashMap<>();

	/**
	 * Limits on the connections of the listen address: timeouts for slow and idle clients and the most connections
	 * held.
	 */
	@NestedConfigurationProperty
	private final ConnectionLimitsProperties transport = new ConnectionLimitsProperties();

	/**
	 * TLS of the listen address and of the http broker's listener, from a Spring Boot SSL bundle.
	 */
	@NestedConfigurationProperty
	private final ServerSslProperties ssl = new ServerSslProperties();

	public ServerSslProperties getSsl() {
		return this.ssl;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getName() {
		return this.name;
	}

	public void setName(@Nullable String name) {
		this.name = name;
	}

	public String getVersion() {
		return this.version;
	}

	public void setVersion(String version) {
		this.version = version;
	}

	public String getAddress() {
		return this.address;
	}

	public void setAddress(String address) {
		this.address = address;
	}

	public String getProtocol() {
		return this.protocol;
	}

	public void setProtocol(String protocol) {
		this.protocol = protocol;
	}

	public @Nullable String getAdvertise() {
		return this.advertise;
	}

	public void setAdvertise(@Nullable String advertise) {
		this.advertise = advertise;
	}

	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	public void setMetadata(Map<String, String> metadata) {
		this.metadata = metadata;
	}

	public Duration getRegisterTtl() {
		return this.registerTtl;
	}

	public void setRegisterTtl(Duration registerTtl) {
		this.registerTtl = registerTtl;
	}

	public Duration getRegisterInterval() {
		return this.registerInterval;
	}

	public void setRegisterInterval(Duration registerInterval) {
		this.registerInterval = registerInterval;
	}

	public Duration getDeregisterDelay() {
		return this.deregisterDelay;
	}

	public void setDeregisterDelay(Duration deregisterDelay) {
		this.deregisterDelay = deregisterDelay;
	}

	public boolean isExposeExceptionMessages() {
		return this.exposeExceptionMessages;
	}

	public void setExposeExceptionMessages(boolean exposeExceptionMessages) {
		this.exposeExceptionMessages = exposeExceptionMessages;
	}

	public Duration getDrainTimeout() {
		return this.drainTimeout;
	}

	public void setDrainTimeout(Duration drainTimeout) {
		this.drainTimeout = drainTimeout;
	}

	public DataSize getMaxBodySize() {
		return this.maxBodySize;
	}

	public void setMaxBodySize(DataSize maxBodySize) {
		this.maxBodySize = maxBodySize;
	}

	public @Nullable Integer getHandlerThreads() {
		return this.handlerThreads;
	}

	public void setHandlerThreads(@Nullable Integer handlerThreads) {
		this.handlerThreads = handlerThreads;
	}

	public int getMaxQueuedCalls() {
		return this.maxQueuedCalls;
	}

	public void setMaxQueuedCalls(int maxQueuedCalls) {
		this.maxQueuedCalls = maxQueuedCalls;
	}

	public int getMaxConcurrentCalls() {
		return this.maxConcurrentCalls;
	}

	public void setMaxConcurrentCalls(int maxConcurrentCalls) {
		this.maxConcurrentCalls = maxConcurrentCalls;
	}

	public ConnectionLimitsProperties getTransport() {
		return this.transport;
	}

	public Map<String, Endpoint> getEndpoints() {
		return this.endpoints;
	}

	public void setEndpoints(Map<String, Endpoint> endpoints) {
		this.endpoints = endpoints;
	}

	/**
	 * Settings of one endpoint.
	 */
	public static class Endpoint {

		/**
		 * The number of calls of this endpoint in flight before new ones are answered at once with a 503 error;
		 * unset leaves only the server-wide limit.
		 */
		private @Nullable Integer maxConcurrentCalls;

		public @Nullable Integer getMaxConcurrentCalls() {
			return this.maxConcurrentCalls;
		}

		public void setMaxConcurrentCalls(@Nullable Integer maxConcurrentCalls) {
			this.maxConcurrentCalls = maxConcurrentCalls;
		}

	}

}
