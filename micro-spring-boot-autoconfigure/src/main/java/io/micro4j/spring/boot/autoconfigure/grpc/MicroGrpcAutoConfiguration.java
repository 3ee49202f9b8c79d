package io.micro4j.spring.boot.autoconfigure.grpc;

import io.grpc.ManagedChannelBuilder;
import io.micro4j.grpc.MicroDiscovery;
import io.micro4j.registry.RegistryCache;
import io.micro4j.selector.Selector;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.selector.MicroSelectorAutoConfiguration;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;

/**
 * Auto-configuration of {@code micro:///<service>} gRPC targets, when {@code micro-grpc} is on the class path: a
 * {@link MicroDiscovery} over the registry cache and the selector, installed as the process-wide one (for channels
 * built by hand) for the life of the context, and, with Boot's gRPC client, set on every channel Spring builds, so
 * {@code spring.grpc.client.channel.<name>.target=micro:///greeter} resolves through this context's registry.
 */
@AutoConfiguration(after = { MicroRegistryAutoConfiguration.class, MicroSelectorAutoConfiguration.class },
		beforeName = "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration")
@ConditionalOnClass({ MicroDiscovery.class, ManagedChannelBuilder.class })
@ConditionalOnBean(Selector.class)
public final class MicroGrpcAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MicroDiscovery microGrpcDiscovery(
			@Qualifier(MicroRegistryAutoConfiguration.REGISTRY_CACHE_BEAN_NAME) RegistryCache registryCache,
			Selector selector) {
		return MicroDiscovery.of(registryCache, selector);
	}

	@Bean(destroyMethod = "close")
	MicroDiscovery.Installation microGrpcDiscoveryInstallation(MicroDiscovery discovery) {
		return MicroDiscovery.install(discovery);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(GrpcChannelBuilderCustomizer.class)
	static class SpringGrpcClientConfiguration {

		@Bean
		<T extends ManagedChannelBuilder<T>> GrpcChannelBuilderCustomizer<T> microGrpcChannelCustomizer(
				MicroDiscovery discovery) {
			return (authority, builder) -> builder.setNameResolverArg(MicroDiscovery.ARG, discovery);
		}

	}

}
