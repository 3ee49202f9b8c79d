package io.micro4j.spring.boot.autoconfigure.registry;

import io.micro4j.registry.etcd.EtcdRegistry;

/**
 * Adjusts the {@link EtcdRegistry.Builder} of the auto-configured etcd registry after the {@code micro.registry.*}
 * properties are applied. Beans of this type are applied in {@code @Order} order; use
 * {@link EtcdRegistry.Builder#customize} to reach jetcd's own client builder.
 */
@FunctionalInterface
public interface EtcdRegistryBuilderCustomizer {

	/** Adjusts {@code builder}. */
	void customize(EtcdRegistry.Builder builder);

}
