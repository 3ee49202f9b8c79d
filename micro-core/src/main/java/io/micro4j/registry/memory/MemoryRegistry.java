package io.micro4j.registry.memory;

import java.time.Duration;
import java.util.List;

import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.Service;
import org.jspecify.annotations.Nullable;

/**
 * STUB: to be implemented. In-memory registry with TTL expiry and watch.
 */
public final class MemoryRegistry implements Registry {

	public MemoryRegistry() {
	}

	@Override
	public String name() {
		return "memory";
	}

	@Override
	public void register(Service service, Duration ttl) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void deregister(Service service) {
		throw new UnsupportedOperationException();
	}

	@Override
	public List<Service> getService(String name) {
		throw new UnsupportedOperationException();
	}

	@Override
	public List<Service> listServices() {
		throw new UnsupportedOperationException();
	}

	@Override
	public Watch watch(@Nullable String service, RegistryListener listener) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void close() {
	}

}
