package io.micro4j.spring.boot.autoconfigure.client;

import io.micro4j.client.DefaultClient;

/**
 * Adjusts the builder of the auto-configured {@link DefaultClient} ({@code microClient}) after the properties are
 * applied, e.g. to add a transport for another node protocol. Beans of this type are applied in {@code @Order}.
 */
@FunctionalInterface
public interface MicroClientBuilderCustomizer {

	void customize(DefaultClient.Builder builder);

}
