package io.micro4j.spring.boot.autoconfigure.cloud;

import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import io.micro4j.spring.cloud.MicroDiscoveryClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the Spring Cloud bridge, when {@code spring-cloud-commons} is on the classpath and neither
 * {@code spring.cloud.discovery.enabled}, {@code spring.cloud.discovery.blocking.enabled} nor
 * {@code micro.discovery.enabled} is {@code false}. Registers:
 * <ul>
 * <li>{@code microDiscoveryClient}, a {@link MicroDiscoveryClient} over the registry cache
 * ({@value MicroRegistryAutoConfiguration#REGISTRY_CACHE_BEAN_NAME}), or over the {@link Registry} itself when
 * there is no such cache, with order {@code micro.discovery.order}. Spring Cloud's composite discovery client, and
 * with it the load balancer and the gateway, then sees every micro service.</li>
 * </ul>
 */
@AutoConfiguration(after = MicroRegistryAutoConfiguration.class,
		beforeName = { "org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration",
				"org.springframework.cloud.client.CommonsClientAutoConfiguration" })
@ConditionalOnClass(DiscoveryClient.class)
@ConditionalOnDiscoveryEnabled
@ConditionalOnBlockingDiscoveryEnabled
@ConditionalOnBooleanProperty(name = "micro.discovery.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MicroDiscoveryProperties.class)
public final class MicroDiscoveryClientAutoConfiguration {

	@Bean
	@ConditionalOnBean(Registry.class)
	@ConditionalOnMissingBean(MicroDiscoveryClient.class)
	MicroDiscoveryClient microDiscoveryClient(Registry registry,
			@Qualifier(MicroRegistryAutoConfiguration.REGISTRY_CACHE_BEAN_NAME) ObjectProvider<RegistryCache> cache,
			MicroDiscoveryProperties properties) {
		RegistryCache registryCache = cache.getIfAvailable();
		return new MicroDiscoveryClient((registryCache != null) ? registryCache : registry, properties.getOrder());
	}

}
