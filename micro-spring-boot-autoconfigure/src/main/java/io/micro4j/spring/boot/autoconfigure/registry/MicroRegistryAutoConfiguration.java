package io.micro4j.spring.boot.autoconfigure.registry;

import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.runtime.MicroRuntime;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the service registry. Registers:
 * <ul>
 * <li>{@code microRegistry}, a {@link Registry}: a {@link io.micro4j.registry.memory.MemoryRegistry} when
 * {@code micro.registry.type} is {@code memory} or unset; an {@code EtcdRegistry} when it is {@code etcd} and
 * {@code micro-registry-etcd} is on the classpath ({@code micro.registry.address}, {@code micro.registry.etcd.*},
 * {@link EtcdRegistryBuilderCustomizer} beans); a {@code ConsulRegistry} when it is {@code consul} and
 * {@code micro-registry-consul} is on the classpath ({@code micro.registry.address}, {@code micro.registry.consul.*},
 * {@link ConsulRegistryBuilderCustomizer} beans); any other type needs its plugin module, and without it startup
 * fails naming the module to add;</li>
 * <li>{@code microRegistryCache}, a {@link RegistryCache} over that registry ({@code micro.registry.cache-ttl}); it
 * is the client's view of the registry and is only injected where asked for by name, so that plain
 * {@code Registry} injection points get the registry itself.</li>
 * </ul>
 * Both close with the context.
 */
@AutoConfiguration
@EnableConfigurationProperties(MicroRegistryProperties.class)
@Import({ MemoryRegistryConfiguration.class, EtcdRegistryConfiguration.class, ConsulRegistryConfiguration.class,
		UnavailableRegistryConfiguration.class })
public final class MicroRegistryAutoConfiguration {

	/** The name of the registry cache bean. */
	public static final String REGISTRY_CACHE_BEAN_NAME = "microRegistryCache";

	@Bean(name = REGISTRY_CACHE_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = REGISTRY_CACHE_BEAN_NAME)
	RegistryCache microRegistryCache(Registry registry, MicroRegistryProperties properties,
			ObjectProvider<MicroRuntime> runtime) {
		RegistryCache.Builder builder = RegistryCache.builder(registry).ttl(properties.getCacheTtl());
		runtime.ifAvailable((rt) -> builder.scheduler(rt.timer()));
		return builder.build();
	}

}
