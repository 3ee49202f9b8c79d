package io.micro4j.spring.boot.autoconfigure.integration;

import java.time.Duration;
import java.util.List;

import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.Service;
import org.jspecify.annotations.Nullable;

/**
 * One context's handle on a registry shared by several contexts: closing it leaves the shared registry open, and
 * it can be told to ignore deregistration, as a process that dies without deregistering would.
 */
final class SharedRegistry implements Registry {

	private final Registry delegate;

	private final boolean deregisters;

	private SharedRegistry(Registry delegate, boolean deregisters) {
		this.delegate = delegate;
		this.deregisters = deregisters;
	}

	/** A handle that passes everything but {@link #close()} on. */
	static SharedRegistry of(Registry delegate) {
		return new SharedRegistry(delegate, true);
	}

	/** A handle that also ignores {@link #deregister(Service)}: the node stays registered after its server stops. */
	static SharedRegistry neverDeregistering(Registry delegate) {
		return new SharedRegistry(delegate, false);
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
		if (this.deregisters) {
			this.delegate.deregister(service);
		}
	}

	@Override
	public List<Service> getService(String name) {
		return this.delegate.getService(name);
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

}
