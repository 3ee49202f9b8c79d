package io.micro4j.spring.boot.autoconfigure.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import io.micro4j.spring.boot.autoconfigure.server.ConnectionLimitsProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Settings of the message broker ({@code micro.broker.*}).
 */
@ConfigurationProperties("micro.broker")
public class MicroBrokerProperties {

	/**
	 * The broker implementation: "memory" (in-process, the default), "http" (go-micro's registry-backed broker,
	 * no broker process), or "nats" / "rabbitmq" with their module on the classpath.
	 */
	private String type = "memory";

	/**
	 * The broker's addresses, comma separated (e.g. nats://127.0.0.1:4222); empty uses the implementation's
	 * default.
	 */
	private List<String> address = new ArrayList<>();

	/** Settings of the http broker ({@code micro.broker.type=http}). */
	private final Http http = new Http();

	/** Settings of the NATS broker ({@code micro.broker.type=nats}). */
	private final Nats nats = new Nats();

	/** Settings of the broker's Micrometer meters. */
	private final Metrics metrics = new Metrics();

	public String getType() {
		return this.type;
	}

	public void setType(String type) {
		this.type = type;
	}

	public List<String> getAddress() {
		return this.address;
	}

	public void setAddress(List<String> address) {
		this.address = address;
	}

	public Http getHttp() {
		return this.http;
	}

	public Nats getNats() {
		return this.nats;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	/** Settings of the http broker ({@code micro.broker.http.*}). */
	public static class Http {

		/**
		 * The listen address of the http broker as host:port, bound at the first subscription; ":0" listens on all
		 * interfaces on a random port.
		 */
		private String address = ":0";

		/**
		 * The host:port subscriptions register instead of the bound address (NAT, containers); unset registers the
		 * bound address.
		 */
		private @Nullable String advertise;

		/** The most failed deliveries kept for retry; when full, the oldest is dropped and counted. */
		private int outboxSize = 10_000;

		/** The delay before the first retry of a failed delivery; it doubles for each further retry. */
		private Duration retryBackoff = Duration.ofMillis(100);

		/** The longest delay between two retries of a delivery. */
		private Duration maxRetryBackoff = Duration.ofSeconds(5);

		/** How long after its first attempt a failed delivery is retried before it is dropped. */
		private Duration retryTimeout = Duration.ofMinutes(1);

		/** The timeout of one POST to a subscriber, connecting included. */
		private Duration sendTimeout = Duration.ofSeconds(5);

		/** How many POSTs may be in flight at once; publishing waits for a free slot. */
		private int maxInFlight = 64;

		/** The number of threads that run subscriber handlers; unset uses the number of processors (at least 2). */
		private @Nullable Integer handlerThreads;

		/** How many received messages may wait for a handler thread; beyond that the publisher is told to retry. */
		private int handlerQueueSize = 10_000;

		/**
		 * Limits on the listener's connections: timeouts for slow and idle publishers and the most connections held.
		 */
		@NestedConfigurationProperty
		private final ConnectionLimitsProperties listener = new ConnectionLimitsProperties();

		public ConnectionLimitsProperties getListener() {
			return this.listener;
		}

		public String getAddress() {
			return this.address;
		}

		public void setAddress(String address) {
			this.address = address;
		}

		public @Nullable String getAdvertise() {
			return this.advertise;
		}

		public void setAdvertise(@Nullable String advertise) {
			this.advertise = advertise;
		}

		public int getOutboxSize() {
			return this.outboxSize;
		}

		public void setOutboxSize(int outboxSize) {
			this.outboxSize = outboxSize;
		}

		public Duration getRetryBackoff() {
			return this.retryBackoff;
		}

		public void setRetryBackoff(Duration retryBackoff) {
			this.retryBackoff = retryBackoff;
		}

		public Duration getMaxRetryBackoff() {
			return this.maxRetryBackoff;
		}

		public void setMaxRetryBackoff(Duration maxRetryBackoff) {
			this.maxRetryBackoff = maxRetryBackoff;
		}

		public Duration getRetryTimeout() {
			return this.retryTimeout;
		}

		public void setRetryTimeout(Duration retryTimeout) {
			this.retryTimeout = retryTimeout;
		}

		public Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
		}

		public int getMaxInFlight() {
			return this.maxInFlight;
		}

		public void setMaxInFlight(int maxInFlight) {
			this.maxInFlight = maxInFlight;
		}

		public @Nullable Integer getHandlerThreads() {
			return this.handlerThreads;
		}

		public void setHandlerThreads(@Nullable Integer handlerThreads) {
			this.handlerThreads = handlerThreads;
		}

		public int getHandlerQueueSize() {
			return this.handlerQueueSize;
		}

		public void setHandlerQueueSize(int handlerQueueSize) {
			this.handlerQueueSize = handlerQueueSize;
		}

	}

	/** Settings of the NATS broker ({@code micro.broker.nats.*}); the servers are {@code micro.broker.address}. */
	public static class Nats {

		/** The connection name the NATS server shows; unset uses spring.application.name. */
		private @Nullable String connectionName;

		/** The timeout of connecting to a NATS server and of confirming a subscription. */
		private Duration connectionTimeout = Duration.ofSeconds(2);

		/** The wait between reconnect attempts after the connection is lost. */
		private Duration reconnectWait = Duration.ofSeconds(2);

		/** How many reconnect attempts are made before giving up; -1 tries forever. */
		private int maxReconnects = -1;

		/** The bound on draining subscriptions and pending publishes when the broker closes. */
		private Duration drainTimeout = Duration.ofSeconds(5);

		/** TLS to the NATS servers, from a Spring Boot SSL bundle. */
		@NestedConfigurationProperty
		private final BrokerSslProperties ssl = new BrokerSslProperties();

		public BrokerSslProperties getSsl() {
			return this.ssl;
		}

		public @Nullable String getConnectionName() {
			return this.connectionName;
		}

		public void setConnectionName(@Nullable String connectionName) {
			this.connectionName = connectionName;
		}

		public Duration getConnectionTimeout() {
			return this.connectionTimeout;
		}

		public void setConnectionTimeout(Duration connectionTimeout) {
			this.connectionTimeout = connectionTimeout;
		}

		public Duration getReconnectWait() {
			return this.reconnectWait;
		}

		public void setReconnectWait(Duration reconnectWait) {
			this.reconnectWait = reconnectWait;
		}

		public int getMaxReconnects() {
			return this.maxReconnects;
		}

		public void setMaxReconnects(int maxReconnects) {
			this.maxReconnects = maxReconnects;
		}

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

	}

	/** Settings of the broker's Micrometer meters ({@code micro.broker.metrics.*}). */
	public static class Metrics {

		/** Whether the broker's counters are published as micro.broker.* meters when Micrometer is present. */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
