package io.micro4j.spring.boot.autoconfigure.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the micro client ({@code micro.client.*}): call timeouts, retries, the content type and the
 * connection pool, plus per-service overrides. Defaults are go-micro's.
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
	 * The wait before each retry: "exponential" (go-micro's attempt^e x 100ms), "none", or a fixed duration such as
	 * "100ms".
	 */
	private String backoff = "exponential";

	/**
	 * The content type requests and published messages are encoded with.
	 */
	private String contentType = "application/json";

	/**
	 * The number of idle connections kept per node address.
	 */
	private int poolSize = 100;

	/**
	 * How long an idle pooled connection is kept.
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
