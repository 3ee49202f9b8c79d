package io.micro4j.spring.boot.autoconfigure.grpc;

import io.grpc.BindableService;
import io.grpc.ServerBuilder;
import io.micro4j.grpc.GrpcTransportServer;
import io.micro4j.grpc.HostedGrpcTransportServer;
import io.micro4j.server.Server;
import io.micro4j.spring.server.MicroAnnotationsPostProcessor;
import io.micro4j.spring.server.MicroServerLifecycle;
import io.micro4j.spring.boot.autoconfigure.server.MicroServerAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.server.MicroServerProperties;
import io.micro4j.spring.boot.autoconfigure.ssl.SslBundleTls;
import io.micro4j.transport.TransportServer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.GrpcServerFactory;
import org.springframework.grpc.server.ServerBuilderCustomizer;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;
import org.springframework.util.StringUtils;

/**
 * The micro server on go-micro's gRPC wire, when {@code micro.server.protocol=grpc} and {@code micro-grpc} is on the
 * class path: {@code microTransportServer} is a {@link GrpcTransportServer} on {@code micro.server.address}, taking
 * messages up to {@code micro.server.max-body-size}; the node registers with {@code protocol=grpc}. With
 * {@code micro.server.ssl.bundle} the port speaks HTTP/2 over TLS only (ALPN {@code h2}), asks clients for
 * certificates per {@code micro.server.ssl.client-auth}, follows the bundle's reloads, and the node registers
 * {@code secure=true}. Everything else about the server (handlers, subscribers, limits, lifecycle) stays as with mucp.
 */
@AutoConfiguration(before = MicroServerAutoConfiguration.class)
@ConditionalOnClass(GrpcTransportServer.class)
@ConditionalOnBooleanProperty(name = "micro.server.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "micro.server.protocol", havingValue = "grpc")
@EnableConfigurationProperties(MicroServerProperties.class)
@Import(MicroGrpcServerAutoConfiguration.OnSpringGrpcServer.class)
public final class MicroGrpcServerAutoConfiguration {

	/**
	 * The micro handlers on Spring Boot's gRPC server, when the application runs one (it has
	 * {@link BindableService} beans) and {@code micro.server.grpc.shared} is not {@code false}: one port, as go-micro's
	 * gRPC server. The protobuf services keep their paths; every other path reaches the micro handlers. The micro
	 * server starts once the gRPC server has ({@link GrpcServerStartedEvent}) and stops (deregister, delay, drain)
	 * when the context closes, before Spring gRPC's graceful shutdown. TLS is the gRPC server's own
	 * ({@code spring.grpc.server.ssl.*}); when it is on, the node registers {@code secure=true}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ GrpcServerFactory.class, GrpcServerStartedEvent.class })
	@ConditionalOnBean(BindableService.class)
	@ConditionalOnBooleanProperty(name = "spring.grpc.server.enabled", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = "micro.server.grpc.shared", matchIfMissing = true)
	static class OnSpringGrpcServer {

		@Bean
		@ConditionalOnMissingBean(TransportServer.class)
		HostedGrpcTransportServer microTransportServer(Environment environment) {
			// protobuf services registered under a name of their own are not endpoints of the micro node
			return new HostedGrpcTransportServer(!StringUtils.hasText(environment.getProperty("micro.grpc.server.name")),
					SpringGrpcServerTls.isOn(environment));
		}

		@Bean
		@SuppressWarnings({ "rawtypes", "unchecked" })
		ServerBuilderCustomizer<?> microHandlersServerBuilderCustomizer(HostedGrpcTransportServer transport) {
			ServerBuilderCustomizer customizer = (builder) -> ((ServerBuilder<?>) builder)
				.fallbackHandlerRegistry(transport.fallbackHandlerRegistry());
			return customizer;
		}

		@Bean
		@ConditionalOnMissingBean(MicroServerLifecycle.class)
		MicroServerLifecycle microServerLifecycle(Server server, MicroAnnotationsPostProcessor annotations,
				HostedGrpcTransportServer transport) {
			return new MicroServerLifecycle(server, annotations, transport::isHostStarted);
		}

		@Bean
		HostedServerStarter microHostedServerStarter(HostedGrpcTransportServer transport,
				MicroServerLifecycle lifecycle) {
			return new HostedServerStarter(transport, lifecycle);
		}

	}

	/** Starts the micro server when its host gRPC server has started; stops it when the context closes. */
	static final class HostedServerStarter implements ApplicationListener<ApplicationEvent> {

		private final HostedGrpcTransportServer transport;

		private final MicroServerLifecycle lifecycle;

		HostedServerStarter(HostedGrpcTransportServer transport, MicroServerLifecycle lifecycle) {
			this.transport = transport;
			this.lifecycle = lifecycle;
		}

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof GrpcServerStartedEvent started) {
				this.transport.hostStarted(started.getServer());
				this.lifecycle.start();
			}
			else if (event instanceof ContextClosedEvent) {
				// before the gRPC server's graceful shutdown: deregister, wait, drain the micro calls in flight
				this.lifecycle.stop();
			}
		}

	}

	@Bean
	@ConditionalOnMissingBean(TransportServer.class)
	GrpcTransportServer microTransportServer(MicroServerProperties properties, ObjectProvider<SslBundles> sslBundles) {
		long maxMessageSize = properties.getMaxBodySize().toBytes();
		if (maxMessageSize <= 0 || maxMessageSize > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException("micro.server.max-body-size",
					properties.getMaxBodySize(), "expected: between 1B and 2GB");
		}
		return GrpcTransportServer.builder()
			.address(properties.getAddress())
			.maxMessageSize((int) maxMessageSize)
			.tls(SslBundleTls.server(properties.getSsl(), sslBundles, "micro gRPC server"))
			.build();
	}

}
