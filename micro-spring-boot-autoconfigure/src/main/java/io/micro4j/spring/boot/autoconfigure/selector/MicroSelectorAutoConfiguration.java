package io.micro4j.spring.boot.autoconfigure.selector;

import java.time.Duration;

import io.micro4j.registry.RegistryCache;
import io.micro4j.runtime.MicroRuntime;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.selector.SelectionStrategy;
import io.micro4j.selector.Selector;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import io.micro4j.transport.TransportClient;
import io.micro4j.transport.http.HttpTransportClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of node selection. Registers {@code microSelector}, a {@link DefaultSelector} over the
 * registry cache, with the strategy of {@code micro.selector.strategy} (a {@link SelectionStrategy} bean wins) and
 * active health probes through the {@link HttpTransportClient} on the {@link MicroRuntime}'s timer
 * ({@code micro.selector.probe*}), outlier ejection per {@code micro.selector.ejection-*}, {@code consecutive-*} and
 * {@code max-ejection-percent}. It closes with the context.
 */
@AutoConfiguration(after = MicroRegistryAutoConfiguration.class,
		afterName = "io.micro4j.spring.boot.autoconfigure.runtime.MicroRuntimeAutoConfiguration")
@EnableConfigurationProperties(MicroSelectorProperties.class)
public final class MicroSelectorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(Selector.class)
	DefaultSelector microSelector(
			@Qualifier(MicroRegistryAutoConfiguration.REGISTRY_CACHE_BEAN_NAME) RegistryCache registryCache,
			MicroSelectorProperties properties, ObjectProvider<SelectionStrategy> strategyBean,
			ObjectProvider<TransportClient> transportClient, ObjectProvider<MicroRuntime> runtime) {
		SelectionStrategy strategy = strategyBean.getIfUnique(() -> strategy(properties.getStrategy()));
		DefaultSelector.Builder builder = DefaultSelector.builder(registryCache);
		TransportClient transport = transportClient.getIfUnique();
		MicroRuntime rt = runtime.getIfUnique();
		if (properties.isProbe() && transport instanceof HttpTransportClient http && rt != null) {
			Duration timeout = properties.getProbeTimeout();
			builder.prober((node) -> http.probe(node.address(), timeout), rt.timer())
				.probeInterval(properties.getProbeInterval());
		}
		return builder
			.strategy(strategy)
			.ejectionBase(properties.getEjectionBase())
			.ejectionMax(properties.getEjectionMax())
			.consecutiveNotProcessed(properties.getConsecutiveNotProcessed())
			.consecutiveTimeouts(properties.getConsecutiveTimeouts())
			.consecutiveErrors(properties.getConsecutiveErrors())
			.maxEjectionPercent(properties.getMaxEjectionPercent())
			.maxInFlightPerNode(properties.getMaxInFlightPerNode())
			.build();
	}

	private static SelectionStrategy strategy(String name) {
		try {
			return SelectionStrategy.of(name);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("micro.selector.strategy", name,
					"unknown strategy (expected: random, round-robin, least-request)");
		}
	}

}
