package io.micro4j.registry;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * STUB: to be implemented. A watch-fed cache in front of a registry that serves the last known nodes when the
 * registry fails. Writes go straight to the delegate.
 */
public final class RegistryCache implements Registry {

	/** go-micro's cache TTL: 1 minute. */
	public static final Duration DEFAULT_TTL = Duration.ofMinutes(1);

	private final Registry delegate;

	private RegistryCache(Builder builder) {
		this.delegate = builder.delegate;
	}

	public static Builder builder(Registry delegate) {
		return new Builder(delegate);
	}

	@Override
	public String name() {
		return this.delegate.name();
	}

	@Override
	public void register(Service service, Duration ttl) {
		this.delegate.register(service, ttl);
	}

	@Override
	public void deregister(Service service) {
		this.delegate.deregister(service);
	}

	@Override
	public List<Service> getService(String name) {
		throw new UnsupportedOperationException();
	}

	@Override
	public List<Service> listServices() {
		return this.delegate.listServices();
	}

	@Override
	public Watch watch(@Nullable String service, RegistryListener listener) {
		return this.delegate.watch(service, listener);
	}

	@Override
	public void close() {
	}

	/** Builds a {@link RegistryCache}. */
	public static final class Builder {

		private final Registry delegate;

		private Duration ttl = DEFAULT_TTL;

		private Builder(Registry delegate) {
			this.delegate = delegate;
		}

		/** How long an entry is trusted without a watch event before it is re-read; 1 minute by default. */
		public Builder ttl(Duration ttl) {
			this.ttl = ttl;
			return this;
		}

		public RegistryCache build() {
			return new RegistryCache(this);
		}

	}

}
