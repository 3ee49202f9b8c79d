package io.micro4j.spring.boot.autoconfigure.grpc;

import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import io.micro4j.grpc.GrpcServiceRegistration;
import io.micro4j.grpc.HostedGrpcTransportServer;
import io.micro4j.registry.Registry;
import io.micro4j.runtime.MicroRuntime;
import io.micro4j.server.Addresses;
import io.micro4j.server.Server;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.server.MicroServerProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;
import org.springframework.util.StringUtils;

/**
 * Registers a Spring gRPC server in the micro registry as a go-micro gRPC node, unless
 * {@code micro.grpc.server.register=false}: when the server has started ({@link GrpcServerStartedEvent}) its
 * services go in under {@code micro.grpc.server.name}, else {@code micro.server.name} (else
 * {@code spring.application.name}) when this application runs no micro server of its own (its clients would send
 * the micro server's endpoints to the gRPC node), with {@code micro.server.version},
 * at {@code micro.server.advertise} or the bound address, renewed every {@code micro.server.register-interval} with
 * {@code micro.server.register-ttl} (see {@link GrpcServiceRegistration}), and with {@code secure=true} when the
 * server speaks TLS ({@code spring.grpc.server.ssl.bundle}). When the context closes, before any
 * lifecycle stops, the node is deregistered and {@code micro.server.deregister-delay} passes, so clients stop sending
 * before Spring gRPC's graceful shutdown (its {@code spring.grpc.server.shutdown.grace-period}) drains the calls
 * and streams in flight.
 */
@AutoConfiguration(after = MicroRegistryAutoConfiguration.class,
		afterName = "io.micro4j.spring.boot.autoconfigure.runtime.MicroRuntimeAutoConfiguration")
@ConditionalOnClass({ GrpcServiceRegistration.class, GrpcServerStartedEvent.class })
@ConditionalOnBean(Registry.class)
@ConditionalOnBooleanProperty(name = "micro.grpc.server.register", matchIfMissing = true)
@EnableConfigurationProperties(MicroServerProperties.class)
public final class MicroGrpcServerRegistrationAutoConfiguration {

	@Bean
	GrpcServerRegistrar microGrpcServerRegistrar(Registry registry, MicroServerProperties properties,
			Environment environment, ObjectProvider<MicroRuntime> runtime, ObjectProvider<Server> microServer,
			ObjectProvider<HostedGrpcTransportServer> hosted) {
		return new GrpcServerRegistrar(registry, properties, environment, runtime.getIfAvailable(),
				microServer.getIfAvailable() != null, hosted.getIfAvailable() != null);
	}

	/** Registers on {@link GrpcServerStartedEvent}, deregisters on {@link ContextClosedEvent}. */
	static final class GrpcServerRegistrar implements ApplicationListener<org.springframework.context.ApplicationEvent>,
			AutoCloseable {

		private static final Logger logger = LoggerFactory.getLogger(GrpcServerRegistrar.class);

		private final Registry registry;

		private final MicroServerProperties properties;

		private final Environment environment;

		private final @Nullable MicroRuntime runtime;

		private final AtomicReference<@Nullable GrpcServiceRegistration> registration = new AtomicReference<>();

		private final boolean microServerRuns;

		private final boolean microServerHosted;

		private @Nullable ScheduledExecutorService ownScheduler;

		GrpcServerRegistrar(Registry registry, MicroServerProperties properties, Environment environment,
				@Nullable MicroRuntime runtime, boolean microServerRuns, boolean microServerHosted) {
			this.registry = registry;
			this.properties = properties;
			this.environment = environment;
			this.runtime = runtime;
			this.microServerRuns = microServerRuns;
			this.microServerHosted = microServerHosted;
		}

		@Override
		public void onApplicationEvent(org.springframework.context.ApplicationEvent event) {
			if (event instanceof GrpcServerStartedEvent started) {
				register(started);
			}
			else if (event instanceof ContextClosedEvent) {
				deregister();
			}
		}

		private void register(GrpcServerStartedEvent started) {
			String name = this.environment.getProperty("micro.grpc.server.name");
			if (!StringUtils.hasText(name)) {
				if (this.microServerHosted) {
					// its services are endpoints of the micro server's node on this very server
					logger.debug("gRPC server on port {} carries micro server {}'s node", started.getPort(),
							serviceName());
					return;
				}
				if (this.microServerRuns) {
					// the micro server's clients would send its endpoints to this node, which does not serve them
					logger.info("gRPC server on port {} not registered: this application's micro server registers {} "
							+ "already; set micro.grpc.server.name to register it under a name of its own",
							started.getPort(), serviceName());
					return;
				}
				name = serviceName();
			}
			GrpcServiceRegistration created = GrpcServiceRegistration.builder(this.registry, name)
				.version(this.properties.getVersion())
				.metadata(this.properties.getMetadata())
				.secure(SpringGrpcServerTls.isOn(this.environment))
				.ttl(this.properties.getRegisterTtl())
				.interval(this.properties.getRegisterInterval())
				.scheduler(scheduler())
				.build();
			GrpcServiceRegistration previous = this.registration.getAndSet(created);
			if (previous != null) {
				previous.deregister();
			}
			created.start(started.getServer().getServices(), advertise(started));
		}

		private void deregister() {
			GrpcServiceRegistration current = this.registration.getAndSet(null);
			if (current == null) {
				return;
			}
			current.deregister();
			long delay = this.properties.getDeregisterDelay().toMillis();
			if (delay > 0) {
				try {
					Thread.sleep(delay);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

		private String serviceName() {
			String name = this.properties.getName();
			if (StringUtils.hasText(name)) {
				return name;
			}
			return this.environment.getProperty("spring.application.name", "application");
		}

		private String advertise(GrpcServerStartedEvent started) {
			String advertise = this.properties.getAdvertise();
			if (StringUtils.hasText(advertise)) {
				return advertise;
			}
			for (java.net.SocketAddress socket : started.getServer().getListenSockets()) {
				if (socket instanceof InetSocketAddress inet) {
					return Addresses.advertise(inet);
				}
			}
			return Addresses.advertise(new InetSocketAddress(started.getPort()));
		}

		private synchronized ScheduledExecutorService scheduler() {
			if (this.runtime != null) {
				return this.runtime.timer();
			}
			if (this.ownScheduler == null) {
				this.ownScheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor((runnable) -> {
					Thread thread = new Thread(runnable, "micro-grpc-register");
					thread.setDaemon(true);
					return thread;
				});
			}
			return this.ownScheduler;
		}

		@Override
		public synchronized void close() {
			deregister();
			if (this.ownScheduler != null) {
				this.ownScheduler.shutdownNow();
			}
		}

	}

}
