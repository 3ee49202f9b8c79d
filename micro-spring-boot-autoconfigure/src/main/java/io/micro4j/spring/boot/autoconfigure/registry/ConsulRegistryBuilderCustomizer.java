package io.micro4j.spring.boot.autoconfigure.registry;

import io.micro4j.registry.consul.ConsulRegistry;

/**
 * Adjusts the {@link ConsulRegistry.Builder} of the auto-configured Consul registry after the
 * {@code micro.registry.*} properties are applied (for example to set an {@code SSLContext} with a client
 * certificate). Beans of this type are applied in {@code @Order} order.
 */
@FunctionalInterface
public interface ConsulRegistryBuilderCustomizer {

	/** Adjusts {@code builder}. */
	void customize(ConsulRegistry.Builder builder);

}
