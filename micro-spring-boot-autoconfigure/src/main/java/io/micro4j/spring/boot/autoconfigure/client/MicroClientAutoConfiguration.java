package io.micro4j.spring.boot.autoconfigure.client;

import io.micro4j.broker.Broker;
import io.micro4j.client.CallWrapper;
import io.micro4j.client.Client;
import io.micro4j.client.DefaultClient;
import io.micro4j.codec.Codecs;
import io.micro4j.observation.ClientCallConvention;
import io.micro4j.observation.PublishConvention;
import io.micro4j.selector.Selector;
import io.micro4j.spring.boot.autoconfigure.broker.MicroBrokerAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.codec.MicroCodecAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.observation.MicroObservationAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.selector.MicroSelectorAutoConfiguration;
import io.micro4j.spring.client.CallOptionsResolver;
import io.micro4j.spring.client.ClientMicroPublisher;
import io.micro4j.spring.client.MicroPublisher;
import io.micro4j.transport.TransportClient;
import io.micro4j.transport.http.HttpTransportClient;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the micro client. Registers:
 * <ul>
 * <li>{@code microTransportClient}, an {@link HttpTransportClient} (pool and dial settings from
 * {@code micro.client.*}), closed with the context;</li>
 * <li>{@code microClient}, a {@link DefaultClient} over the selector, that transport, the broker and the codecs,
 * observed through the context's {@link ObservationRegistry} (no-op without one) with the convention beans, and
 * wrapped by every {@link CallWrapper} bean in order (the first is outermost);</li>
 * <li>{@code microCallOptionsResolver}, a {@link CallOptionsResolver} applying {@code micro.client.*} and
 * {@code micro.client.services.<service>.*};</li>
 * <li>{@code microPublisher}, a {@link MicroPublisher} over the client;</li>
 * <li>a proxy bean for every {@link io.micro4j.spring.annotation.MicroClient} interface in the auto-configuration
 * packages, unless {@link io.micro4j.spring.annotation.EnableMicroClients} names the packages instead.</li>
 * </ul>
 */
@AutoConfiguration(after = { MicroSelectorAutoConfiguration.class, MicroBrokerAutoConfiguration.class,
		MicroCodecAutoConfiguration.class, MicroObservationAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@EnableConfigurationProperties(MicroClientProperties.class)
public final class MicroClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(TransportClient.class)
	HttpTransportClient microTransportClient(MicroClientProperties properties) {
		return HttpTransportClient.builder()
			.poolSize(properties.getPoolSize())
			.poolTtl(properties.getPoolTtl())
			.dialTimeout(properties.getDialTimeout())
			.build();
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
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<ClientCallConvention> callConvention,
			ObjectProvider<PublishConvention> publishConvention, ObjectProvider<CallWrapper> wrappers) {
		DefaultClient.Builder builder = DefaultClient.builder(selector, transportClient)
			.codecs(codecs)
			.defaultCallOptions(PropertiesCallOptionsResolver.defaults(properties))
			.observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
		broker.ifUnique(builder::broker);
		callConvention.ifUnique(builder::callConvention);
		publishConvention.ifUnique(builder::publishConvention);
		wrappers.orderedStream().forEach(builder::wrapper);
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean(MicroPublisher.class)
	ClientMicroPublisher microPublisher(Client client) {
		return new ClientMicroPublisher(client);
	}

	/** Scans the auto-configuration packages for client interfaces. */
	@Configuration(proxyBeanMethods = false)
	@Import(AutoConfiguredMicroClientsRegistrar.class)
	static class MicroClientScanConfiguration {

	}

}
