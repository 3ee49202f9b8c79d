package io.micro4j.spring.boot.autoconfigure.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micro4j.spring.boot.autoconfigure.ssl.ClientSslProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Settings of the micro client ({@code micro.client.*}): call timeouts, retries, the content type and the
 * connection pool, TLS towards secure nodes, plus per-service overrides. Defaults are go-micro's.
 */
@ConfigurationProperties("micro.client")
public class MicroClientProperties {

	/**
	 * The budget of a whole call, retries and backoff included.
	 */
	private Duration requestTimeout = Duration.ofSeconds(30);

	/**
	 * The budget of one attempt, also sent to the server as the Timeout header.
	 */
	private Duration connectionTimeout = Duration.ofSeconds(5);

	/**
	 * How many times a failed call is retried; 5 means up to 6 attempts.
	 */
	private int retries = 5;

	/**
	 * The wait before each retry of a failure that may have reached a handler: "jitter" (exponential from 100ms to
	 * 2s, randomised), "exponential" (go-micro's attempt^e x 100ms), "none", or a fixed duration such as "100ms".
	 */
	private String backoff = "jitter";

	/**
	 * Which failures are retried: "safe" (what never reached a handler always; timeouts and 5xx only for idempotent
	 * endpoints), "not-processed", "node-failures" (go-micro's: also timeouts of any endpoint) or "never".
	 */
	private String retryPolicy = "safe";

	/**
	 * The retry budget per service: retries allowed on top of the calls.
	 */
	private final RetryBudget retryBudget = new RetryBudget();

	/**
	 * The circuit breaker per service and endpoint (needs resilience4j-circuitbreaker on the class path).
	 */
	private final CircuitBreaker circuitBreaker = new CircuitBreaker();

	/**
	 * The content type requests and published messages are encoded with.
	 */
	private String contentType = "application/json";

	/**
	 * The number of idle connections kept per node address.
	 */
	private int poolSize = 100;

	/**
	 * How long an idle pooled connection is kept; keep it shorter than the servers' idle timeout
	 * (micro.server.transport.idle-timeout, 90s), so that the client closes idle connections before the server does.
	 */
	private Duration poolTtl = Duration.ofMinutes(1);

	/**
	 * The timeout for opening a connection to a node.
	 */
	private Duration dialTimeout = Duration.ofSeconds(5);

	/**
	 * Per-service overrides of the call settings, keyed by service name.
	 */
	private Map<String, Service> services = new LinkedHashMap<>();

	/**
	 * TLS towards nodes that register secure=true, from a Spring Boot SSL bundle.
	 */
	@NestedConfigurationProperty
	private final ClientSslProperties ssl = new ClientSslProperties();

	public ClientSslProperties getSsl() {
		return this.ssl;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public Duration getConnectionTimeout() {
		return this.connectionTimeout;
	}

	public void setConnectionTimeout(Duration connectionTimeout) {
		this.connectionTimeout = connectionTimeout;
	}

	public int getRetries() {
		return this.retries;
	}

	public void setRetries(int retries) {
		this.retries = retries;
	}

	public String getBackoff() {
		return this.backoff;
	}

	public void setBackoff(String backoff) {
		this.backoff = backoff;
	}

	public String getContentType() {
		return this.contentType;
	}

	public void setContentType(String contentType) {
		this.contentType = contentType;
	}

	public int getPoolSize() {
		return this.poolSize;
	}

	public void setPoolSize(int poolSize) {
		this.poolSize = poolSize;
	}

	public Duration getPoolTtl() {
		return this.poolTtl;
	}

	public void setPoolTtl(Duration poolTtl) {
		this.poolTtl = poolTtl;
	}

	public Duration getDialTimeout() {
		return this.dialTimeout;
	}

	public void setDialTimeout(Duration dialTimeout) {
		this.dialTimeout = dialTimeout;
	}

	public Map<String, Service> getServices() {
		return this.services;
	}

	public void setServices(Map<String, Service> services) {
		this.services = services;
	}

	/**
	 * Call settings for one service; an unset value falls back to the client-wide setting.
	 */
	public String getRetryPolicy() {
		return this.retryPolicy;
	}

	public void setRetryPolicy(String retryPolicy) {
		this.retryPolicy = retryPolicy;
	}

	public RetryBudget getRetryBudget() {
		return this.retryBudget;
	}

	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	/** The retry budget of {@code micro.client.retry-budget.*}. */
	public static class RetryBudget {

		/**
		 * Retries allowed per call over the window, e.g. 0.2 for at most 20% extra attempts.
		 */
		private double ratio = io.micro4j.client.RetryBudget.DEFAULT_RATIO;

		/**
		 * Retries always allowed per window, however few calls were made.
		 */
		private int minRetries = io.micro4j.client.RetryBudget.DEFAULT_MIN_RETRIES;

		/**
		 * The length of the sliding window the budget counts over.
		 */
		private Duration window = io.micro4j.client.RetryBudget.DEFAULT_WINDOW;

		/**
		 * Whether the budget applies; false leaves only the retries of each call as a limit.
		 */
		private boolean enabled = true;

		public double getRatio() {
			return this.ratio;
		}

		public void setRatio(double ratio) {
			this.ratio = ratio;
		}

		public int getMinRetries() {
			return this.minRetries;
		}

		public void setMinRetries(int minRetries) {
			this.minRetries = minRetries;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/** The circuit breaker of {@code micro.client.circuit-breaker.*}. */
	public static class CircuitBreaker {

		/**
		 * Whether calls go through a circuit breaker per service and endpoint when Resilience4j is present.
		 */
		private boolean enabled = true;

		/**
		 * The failure rate, in percent, at which the breaker opens.
		 */
		private float failureRateThreshold = 50;

		/**
		 * How many of the last calls the failure rate is computed over.
		 */
		private int slidingWindowSize = 20;

		/**
		 * How many calls must be recorded before the failure rate counts.
		 */
		private int minimumCalls = 10;

		/**
		 * How long the breaker stays open before probe calls are let through.
		 */
		private Duration waitInOpen = Duration.ofSeconds(5);

		/**
		 * How many probe calls the half-open breaker lets through.
		 */
		private int halfOpenCalls = 3;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public float getFailureRateThreshold() {
			return this.failureRateThreshold;
		}

		public void setFailureRateThreshold(float failureRateThreshold) {
			this.failureRateThreshold = failureRateThreshold;
		}

		public int getSlidingWindowSize() {
			return this.slidingWindowSize;
		}

		public void setSlidingWindowSize(int slidingWindowSize) {
			this.slidingWindowSize = slidingWindowSize;
		}

		public int getMinimumCalls() {
			return this.minimumCalls;
		}

		public void setMinimumCalls(int minimumCalls) {
			this.minimumCalls = minimumCalls;
		}

		public Duration getWaitInOpen() {
			return this.waitInOpen;
		}

		public void setWaitInOpen(Duration waitInOpen) {
			this.waitInOpen = waitInOpen;
		}

		public int getHalfOpenCalls() {
			return this.halfOpenCalls;
		}

		public void setHalfOpenCalls(int halfOpenCalls) {
			this.halfOpenCalls = halfOpenCalls;
		}

	}

	public static class Service {

		/**
		 * The budget of a whole call to this service; unset uses micro.client.request-timeout.
		 */
		private @Nullable Duration requestTimeout;

		/**
		 * The budget of one attempt to this service; unset uses micro.client.connection-timeout.
		 */
		private @Nullable Duration connectionTimeout;

		/**
		 * How many times a failed call to this service is retried; unset uses micro.client.retries.
		 */
		private @Nullable Integer retries;

		/**
		 * The wait before each retry to this service; unset uses micro.client.backoff.
		 */
		private @Nullable String backoff;

		/**
		 * Endpoints of this service that are safe to repeat (e.g. "Orders.Get"): retried after a timeout or 5xx.
		 */
		private java.util.List<String> idempotentEndpoints = new java.util.ArrayList<>();

		public java.util.List<String> getIdempotentEndpoints() {
			return this.idempotentEndpoints;
		}

		public void setIdempotentEndpoints(java.util.List<String> idempotentEndpoints) {
			this.idempotentEndpoints = idempotentEndpoints;
		}

		public @Nullable Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(@Nullable Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public @Nullable Duration getConnectionTimeout() {
			return this.connectionTimeout;
		}

		public void setConnectionTimeout(@Nullable Duration connectionTimeout) {
			this.connectionTimeout = connectionTimeout;
		}

		public @Nullable Integer getRetries() {
			return this.retries;
		}

		public void setRetries(@Nullable Integer retries) {
			this.retries = retries;
		}

		public @Nullable String getBackoff() {
			return this.backoff;
		}

		public void setBackoff(@Nullable String backoff) {
			this.backoff = backoff;
		}

	}

}
