package io.micro4j.spring.boot.autoconfigure.client;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

import io.micro4j.broker.Broker;
import io.micro4j.client.CallWrapper;
import io.micro4j.client.Client;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.PublishWrapper;
import io.micro4j.client.circuitbreaker.CircuitBreakerCallWrapper;
import io.micro4j.client.RetryBudget;
import io.micro4j.registry.RegistryCache;
import io.micro4j.runtime.MicroRuntime;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.OrderUtils;
import io.micro4j.codec.Codecs;
import io.micro4j.observation.ClientCallConvention;
import io.micro4j.observation.PublishConvention;
import io.micro4j.selector.Selector;
import io.micro4j.spring.boot.autoconfigure.broker.MicroBrokerAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.codec.MicroCodecAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.observation.MicroObservationAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.selector.MicroSelectorAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.ssl.SslBundleTls;
import io.micro4j.spring.client.CallOptionsResolver;
import io.micro4j.spring.client.ClientMicroPublisher;
import io.micro4j.spring.client.MicroPublisher;
import io.micro4j.transport.TransportClient;
import io.micro4j.transport.http.HttpTransportClient;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the micro client. Registers:
 * <ul>
 * <li>{@code microTransportClient}, an {@link HttpTransportClient} (pool and dial settings from
 * {@code micro.client.*}) on the {@link MicroRuntime}'s event loop group, closed with the context; it dials nodes
 * that register {@code secure=true} with TLS, trusting the SSL bundle {@code micro.client.ssl.bundle} (and
 * presenting its certificate to servers that ask for one), reloaded with the bundle;</li>
 * <li>{@code microClient}, a {@link DefaultClient} over the selector, that transport, the broker and the codecs,
 * observed through the context's {@link ObservationRegistry} (no-op without one) with the convention beans, counted
 * in the {@link MeterRegistry}, with the retry budget of {@code micro.client.retry-budget.*}, and decorated by every
 * {@link CallWrapper} bean: at {@link CallWrapper#DEFAULT_ORDER} (once per attempt, after node selection) unless the
 * bean implements {@link Ordered} or its class carries {@code @Order}, which place it among the built-in stages;
 * beans of equal order run in {@code @Order} order; and by every {@link PublishWrapper} bean in order; its timer
 * and callback executor are the {@link MicroRuntime}'s;</li>
 * <li>{@code microCallOptionsResolver}, a {@link CallOptionsResolver} applying {@code micro.client.*} and
 * {@code micro.client.services.<service>.*};</li>
 * <li>{@code microPublisher}, a {@link MicroPublisher} over the client;</li>
 * <li>a proxy bean for every {@link io.micro4j.spring.annotation.MicroClient} interface in the auto-configuration
 * packages, unless {@link io.micro4j.spring.annotation.EnableMicroClients} names the packages instead.</li>
 * </ul>
 */
@AutoConfiguration(after = { MicroSelectorAutoConfiguration.class, MicroRegistryAutoConfiguration.class, MicroBrokerAutoConfiguration.class,
		MicroCodecAutoConfiguration.class, MicroObservationAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@EnableConfigurationProperties(MicroClientProperties.class)
public final class MicroClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(TransportClient.class)
	HttpTransportClient microTransportClient(MicroClientProperties properties, ObjectProvider<MicroRuntime> runtime,
			ObjectProvider<SslBundles> sslBundles) {
		HttpTransportClient.Builder builder = HttpTransportClient.builder()
			.poolSize(properties.getPoolSize())
			.poolTtl(properties.getPoolTtl())
			.dialTimeout(properties.getDialTimeout())
			.tls(SslBundleTls.client(properties.getSsl(), sslBundles, "micro client"));
		runtime.ifAvailable((rt) -> builder.eventLoopGroup(rt.eventLoopGroup()).resolverExecutor(rt.handlerExecutor()));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean(CallOptionsResolver.class)
	PropertiesCallOptionsResolver microCallOptionsResolver(MicroClientProperties properties) {
		return new PropertiesCallOptionsResolver(properties);
	}

	@Bean
	@ConditionalOnMissingBean(Client.class)
	DefaultClient microClient(Selector selector, TransportClient transportClient, Codecs codecs,
			MicroClientProperties properties, ObjectProvider<Broker> broker,
			@Qualifier(MicroRegistryAutoConfiguration.REGISTRY_CACHE_BEAN_NAME) ObjectProvider<RegistryCache> registryCache,
			ObjectProvider<ObservationRegistry> observationRegistry, ObjectProvider<MeterRegistry> meterRegistry,
			ObjectProvider<ClientCallConvention> callConvention,
			ObjectProvider<PublishConvention> publishConvention, ObjectProvider<CallWrapper> wrappers,
			ObjectProvider<PublishWrapper> publishWrappers, ObjectProvider<MicroRuntime> runtime,
			ObjectProvider<MicroClientBuilderCustomizer> customizers) {
		DefaultClient.Builder builder = DefaultClient.builder(selector, transportClient)
			.codecs(codecs)
			.defaultCallOptions(PropertiesCallOptionsResolver.defaults(properties))
			.retryBudget(retryBudget(properties.getRetryBudget()))
			.idempotentEndpoints(idempotentEndpoints(properties))
			.observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
		registryCache.ifAvailable(builder::registry);
		runtime.ifAvailable((rt) -> builder.timer(rt.timer()).callbackExecutor(rt.callbackExecutor()));
		meterRegistry.ifUnique(builder::meterRegistry);
		broker.ifUnique(builder::broker);
		callConvention.ifUnique(builder::callConvention);
		publishConvention.ifUnique(builder::publishConvention);
		// beans sorted by @Order among themselves; each keeps its place relative to the built-in stages
		wrappers.orderedStream().forEach((wrapper) -> builder.wrapper(stageOrder(wrapper), wrapper));
		publishWrappers.orderedStream().forEach(builder::publishWrapper);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	/**
	 * The order of a wrapper bean relative to the built-in stages: its {@link Ordered#getOrder()} or its class's
	 * {@code @Order}, else {@link CallWrapper#DEFAULT_ORDER} (once per attempt, after selection).
	 */
	static int stageOrder(CallWrapper wrapper) {
		if (wrapper instanceof Ordered ordered) {
			return ordered.getOrder();
		}
		Integer order = OrderUtils.getOrder(wrapper.getClass());
		return (order != null) ? order : CallWrapper.DEFAULT_ORDER;
	}

	static RetryBudget retryBudget(MicroClientProperties.RetryBudget properties) {
		if (!properties.isEnabled()) {
			return RetryBudget.unlimited();
		}
		try {
			return new RetryBudget(properties.getRatio(), properties.getMinRetries(), properties.getWindow());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("micro.client.retry-budget", properties.getRatio()
					+ "/" + properties.getMinRetries() + "/" + properties.getWindow(), ex.getMessage());
		}
	}

	static BiPredicate<String, String> idempotentEndpoints(MicroClientProperties properties) {
		Map<String, Set<String>> endpoints = new HashMap<>();
		properties.getServices().forEach((service, settings) -> {
			if (!settings.getIdempotentEndpoints().isEmpty()) {
				endpoints.put(service, Set.copyOf(settings.getIdempotentEndpoints()));
			}
		});
		if (endpoints.isEmpty()) {
			return (service, endpoint) -> false;
		}
		return (service, endpoint) -> endpoints.getOrDefault(service, Set.of()).contains(endpoint);
	}

	@Bean
	@ConditionalOnMissingBean(MicroPublisher.class)
	ClientMicroPublisher microPublisher(Client client) {
		return new ClientMicroPublisher(client);
	}

	/**
	 * The circuit breaker stage, when Resilience4j is on the class path and {@code micro.client.circuit-breaker.enabled}
	 * is not false: a {@link CircuitBreakerCallWrapper} bean at {@link CallWrapper#CIRCUIT_BREAKER_ORDER}, and, with
	 * resilience4j-micrometer, the breakers' meters.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry")
	@ConditionalOnBooleanProperty(name = "micro.client.circuit-breaker.enabled", matchIfMissing = true)
	@Import(CircuitBreakerConfiguration.class)
	static class MicroCircuitBreakerConfiguration {

	}

	/** Scans the auto-configuration packages for client interfaces. */
	@Configuration(proxyBeanMethods = false)
	@Import(AutoConfiguredMicroClientsRegistrar.class)
	static class MicroClientScanConfiguration {

	}

}
