package io.micro4j.transport.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.micro4j.transport.TransportClient;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;

/**
 * STUB: to be implemented. Pooled keep-alive HTTP/1.1 client on Netty.
 */
public final class HttpTransportClient implements TransportClient {

	/** go-micro's pool size: 100 idle connections per address. */
	public static final int DEFAULT_POOL_SIZE = 100;

	/** go-micro's pool TTL: 1 minute. */
	public static final Duration DEFAULT_POOL_TTL = Duration.ofMinutes(1);

	/** go-micro's dial timeout: 5 seconds. */
	public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(5);

	private HttpTransportClient(Builder builder) {
	}

	public static Builder builder() {
		return new Builder();
	}

	@Override
	public CompletableFuture<TransportResponse> send(String address, TransportRequest request, Duration timeout) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void close() {
	}

	/** Builds an {@link HttpTransportClient}. */
	public static final class Builder {

		private int poolSize = DEFAULT_POOL_SIZE;

		private Duration poolTtl = DEFAULT_POOL_TTL;

		private Duration dialTimeout = DEFAULT_DIAL_TIMEOUT;

		private int maxResponseSize = 64 * 1024 * 1024;

		private int ioThreads = 0;

		private Builder() {
		}

		/** Idle connections kept per address, 100 by default. */
		public Builder poolSize(int poolSize) {
			this.poolSize = poolSize;
			return this;
		}

		/** How long an idle connection is kept, 1 minute by default. */
		public Builder poolTtl(Duration poolTtl) {
			this.poolTtl = poolTtl;
			return this;
		}

		/** Connect timeout, 5 seconds by default. */
		public Builder dialTimeout(Duration dialTimeout) {
			this.dialTimeout = dialTimeout;
			return this;
		}

		/** Response body limit in bytes. */
		public Builder maxResponseSize(int maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
			return this;
		}

		/** Event-loop threads; 0 picks a default for the machine. */
		public Builder ioThreads(int ioThreads) {
			this.ioThreads = ioThreads;
			return this;
		}

		public HttpTransportClient build() {
			return new HttpTransportClient(this);
		}

	}

}
