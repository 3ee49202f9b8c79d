package io.micro4j.spring.boot.autoconfigure.grpc;

import io.grpc.ManagedChannelBuilder;
import io.micro4j.client.DefaultClient;
import io.micro4j.grpc.GrpcTransportClient;
import io.micro4j.grpc.MicroDiscovery;
import io.micro4j.registry.RegistryCache;
import io.micro4j.runtime.MicroRuntime;
import io.micro4j.selector.Selector;
import io.micro4j.spring.boot.autoconfigure.client.MicroClientBuilderCustomizer;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.selector.MicroSelectorAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.ssl.ClientSslProperties;
import io.micro4j.spring.boot.autoconfigure.ssl.SslBundleTls;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.grpc.client.ChannelCredentialsProvider;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;

/**
 * Auto-configuration of {@code micro:///<service>} gRPC targets, when {@code micro-grpc} is on the class path: a
 * {@link MicroDiscovery} over the registry cache and the selector, installed as the process-wide one (for channels
 * built by hand) for the life of the context, and, with Boot's gRPC client, set on every channel Spring builds, so
 * {@code spring.grpc.client.channel.<name>.target=micro:///greeter} resolves through this context's registry. The
 * micro client reaches nodes registered with {@code protocol=grpc} through a {@link GrpcTransportClient} (on the
 * {@link MicroRuntime}'s event loops), other nodes over mucp as before.
 * <p>
 * TLS follows the registry: the gRPC transport and {@code micro:///} channels dial nodes that register
 * {@code secure=true} with TLS, trusting the SSL bundle {@code micro.client.ssl.bundle} (and presenting its
 * certificate, for mTLS; hostname verification per {@code micro.client.ssl.verify-hostname}), and the other nodes
 * in plaintext. The channels' credentials come from a wrapper of Boot's {@link ChannelCredentialsProvider} that
 * answers for {@code micro:///} targets only.
 */
@AutoConfiguration(after = { MicroRegistryAutoConfiguration.class, MicroSelectorAutoConfiguration.class },
		afterName = "io.micro4j.spring.boot.autoconfigure.runtime.MicroRuntimeAutoConfiguration",
		beforeName = { "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration",
				"io.micro4j.spring.boot.autoconfigure.client.MicroClientAutoConfiguration" })
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

	/**
	 * Adds the gRPC transport to the micro client. Not a {@code TransportClient} bean: that would replace the mucp
	 * transport every other node is called with.
	 */
	@Bean(destroyMethod = "close")
	GrpcClientTransport microGrpcClientTransport(ObjectProvider<MicroRuntime> runtime, Environment environment,
			ObjectProvider<SslBundles> sslBundles) {
		ClientSslProperties ssl = Binder.get(environment).bindOrCreate("micro.client.ssl", ClientSslProperties.class);
		GrpcTransportClient.Builder builder = GrpcTransportClient.builder()
			.tls(SslBundleTls.client(ssl, sslBundles, "micro gRPC client"));
		runtime.ifAvailable((rt) -> builder.eventLoopGroup(rt.eventLoopGroup()));
		return new GrpcClientTransport(builder.build());
	}

	/** The client's transport for nodes registered with {@code protocol=grpc}, closed with the context. */
	static final class GrpcClientTransport implements MicroClientBuilderCustomizer, AutoCloseable {

		private final GrpcTransportClient transport;

		GrpcClientTransport(GrpcTransportClient transport) {
			this.transport = transport;
		}

		@Override
		public void customize(DefaultClient.Builder builder) {
			builder.transport(MicroDiscovery.GRPC, this.transport);
		}

		@Override
		public void close() {
			this.transport.close();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(GrpcChannelBuilderCustomizer.class)
	static class SpringGrpcClientConfiguration {

		@Bean
		<T extends ManagedChannelBuilder<T>> GrpcChannelBuilderCustomizer<T> microGrpcChannelCustomizer(
				MicroDiscovery discovery) {
			return (authority, builder) -> builder.setNameResolverArg(MicroDiscovery.ARG, discovery);
		}

		/** Gives {@code micro:///} channels credentials that choose TLS per node (see the class comment). */
		@Bean
		static BeanPostProcessor microChannelCredentialsPostProcessor(Environment environment,
				ObjectProvider<SslBundles> sslBundles) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (bean instanceof ChannelCredentialsProvider provider
							&& !(bean instanceof MicroChannelCredentialsProvider)) {
						return new MicroChannelCredentialsProvider(provider, environment, sslBundles);
					}
					return bean;
				}

			};
		}

	}

}
