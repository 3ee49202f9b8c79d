package io.micro4j.selector;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.Service;
import org.jspecify.annotations.Nullable;

/** A registry that answers what the test put in it; no TTLs, no watch events. */
final class StaticRegistry implements Registry {

	private final Map<String, List<Service>> services = new ConcurrentHashMap<>();

	/** Replaces all versions of the service(s) named in {@code versions}. */
	StaticRegistry set(Service... versions) {
		for (Service version : versions) {
			this.services.remove(version.name());
		}
		for (Service version : versions) {
			this.services.merge(version.name(), List.of(version),
					(a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
		}
		return this;
	}

	@Override
	public String name() {
		return "static";
	}

	@Override
	public void register(Service service, Duration ttl) {
		set(service);
	}

	@Override
	public void deregister(Service service) {
		this.services.remove(service.name());
	}

	@Override
	public List<Service> getService(String name) {
		return this.services.getOrDefault(name, List.of());
	}

	@Override
	public List<Service> listServices() {
		return this.services.values().stream().flatMap(List::stream).toList();
	}

	@Override
	public Watch watch(@Nullable String service, RegistryListener listener) {
		return () -> {
		};
	}

	@Override
	public void close() {
	}

}
