package io.micro4j.transport.http;

import java.net.InetSocketAddress;
import java.time.Duration;

import io.micro4j.transport.TransportHandler;
import io.micro4j.transport.TransportServer;

/**
 * STUB: to be implemented. mucp over HTTP/1.1 server on Netty.
 */
public final class HttpTransportServer implements TransportServer {

	/** Default request body limit: 4 MiB. */
	public static final int DEFAULT_MAX_BODY_SIZE = 4 * 1024 * 1024;

	private HttpTransportServer(Builder builder) {
	}

	public static Builder builder() {
		return new Builder();
	}

	@Override
	public InetSocketAddress start(TransportHandler handler) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void stop(Duration gracePeriod) {
	}

	/** Builds an {@link HttpTransportServer}. */
	public static final class Builder {

		private String address = ":0";

		private int maxBodySize = DEFAULT_MAX_BODY_SIZE;

		private int ioThreads = 0;

		private Builder() {
		}

		/** The listen address {@code host:port}; {@code :0} (default) is all interfaces, random port. */
		public Builder address(String address) {
			this.address = address;
			return this;
		}

		/** The request body limit in bytes; a larger body gets a 413 micro error. */
		public Builder maxBodySize(int maxBodySize) {
			this.maxBodySize = maxBodySize;
			return this;
		}

		/** Event-loop threads; 0 picks a default for the machine. */
		public Builder ioThreads(int ioThreads) {
			this.ioThreads = ioThreads;
			return this;
		}

		public HttpTransportServer build() {
			return new HttpTransportServer(this);
		}

	}

}
