package io.micro4j.spring.boot.autoconfigure.cloud;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.micro4j.broker.Broker;
import io.micro4j.registry.Registry;
import io.micro4j.server.Addresses;
import io.micro4j.server.Server;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.server.MicroServerAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.server.MicroServerProperties;
import io.micro4j.spring.cloud.MicroAutoServiceRegistration;
import io.micro4j.spring.cloud.MicroRegistration;
import io.micro4j.spring.cloud.MicroServiceRegistry;
import io.micro4j.transport.http.internal.HostPort;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the Spring Cloud {@link ServiceRegistry} over the micro registry, when
 * {@code spring-cloud-commons} is on the classpath, there is a micro {@link Registry} and
 * {@code spring.cloud.service-registry.enabled} is not {@code false}. Registers:
 * <ul>
 * <li>{@code microServiceRegistry}, a {@link MicroServiceRegistry} renewing records every
 * {@code micro.server.register-interval} with {@code micro.server.register-ttl};</li>
 * <li>{@code microAutoServiceRegistration}, in a web application unless
 * {@code spring.cloud.service-registry.auto-registration.enabled} or {@code micro.discovery.register-web} is
 * {@code false}: a {@link MicroAutoServiceRegistration} that registers the web server's port as a node of
 * {@code micro.discovery.web-service-name} (else {@code spring.application.name}) with {@code protocol=http}, at
 * {@code micro.discovery.web-advertise} (else {@code server.address}, else the first private IPv4 address), with
 * {@code micro.server.version} and {@code micro.discovery.web-metadata}, and deregisters it, then waits
 * {@code micro.server.deregister-delay}, before the web server's graceful shutdown. An application that runs a
 * micro server of the same name does not register its web server (the micro server's clients would send mucp
 * calls to it) unless {@code micro.discovery.web-service-name} names another service; naming the micro server's
 * own service there fails the start.</li>
 * </ul>
 */
@AutoConfiguration(after = { MicroRegistryAutoConfiguration.class, MicroServerAutoConfiguration.class })
@ConditionalOnClass(ServiceRegistry.class)
@ConditionalOnBean(Registry.class)
@ConditionalOnBooleanProperty(name = "spring.cloud.service-registry.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ MicroDiscoveryProperties.class, MicroServerProperties.class })
public final class MicroServiceRegistryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MicroServiceRegistry microServiceRegistry(Registry registry, MicroServerProperties server) {
		return new MicroServiceRegistry(registry, server.getRegisterTtl(), server.getRegisterInterval());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebServerApplicationContext.class)
	@ConditionalOnWebApplication
	@ConditionalOnBooleanProperty(name = "spring.cloud.service-registry.auto-registration.enabled",
			matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = "micro.discovery.register-web", matchIfMissing = true)
	static final class WebServerRegistrationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MicroAutoServiceRegistration microAutoServiceRegistration(MicroServiceRegistry serviceRegistry,
				ApplicationContext context, Environment environment, MicroDiscoveryProperties discovery,
				MicroServerProperties server, ObjectProvider<Server> microServer, ObjectProvider<Broker> broker) {
			WebServerRegistrations registrations = new WebServerRegistrations(context, environment, discovery, server,
					microServer, broker);
			return new MicroAutoServiceRegistration(serviceRegistry, registrations::create,
					server.getDeregisterDelay());
		}

	}

	/** Makes the registration of the web server once it has started. */
	static final class WebServerRegistrations {

		private static final Logger logger = LoggerFactory.getLogger(WebServerRegistrations.class);

		private final ApplicationContext context;

		private final Environment environment;

		private final MicroDiscoveryProperties discovery;

		private final MicroServerProperties server;

		private final ObjectProvider<Server> microServer;

		private final ObjectProvider<Broker> broker;

		WebServerRegistrations(ApplicationContext context, Environment environment, MicroDiscoveryProperties discovery,
				MicroServerProperties server, ObjectProvider<Server> microServer, ObjectProvider<Broker> broker) {
			this.context = context;
			this.environment = environment;
			this.discovery = discovery;
			this.server = server;
			this.microServer = microServer;
			this.broker = broker;
			String explicit = discovery.getWebServiceName();
			Server micro = microServer.getIfAvailable();
			if (StringUtils.hasText(explicit) && micro != null && micro.name().equals(explicit)) {
				throw new IllegalStateException("micro.discovery.web-service-name: \"" + explicit
						+ "\" (expected: a name other than this application's micro server's, whose clients would "
						+ "send mucp calls to the web server)");
			}
		}

		Optional<MicroRegistration> create() {
			WebServer webServer = (this.context instanceof WebServerApplicationContext web) ? web.getWebServer() : null;
			int port = (webServer != null) ? webServer.getPort() : -1;
			if (port <= 0) {
				logger.debug("no web server port to register");
				return Optional.empty();
			}
			String name = serviceName(port);
			if (name == null) {
				return Optional.empty();
			}
			HostPort address = advertise(port);
			Map<String, String> metadata = new LinkedHashMap<>();
			Broker b = this.broker.getIfAvailable();
			if (b != null) {
				metadata.put("broker", b.name());
			}
			metadata.putAll(this.discovery.getWebMetadata());
			return Optional.of(MicroRegistration.builder(name, address.host(), address.port())
				.version(this.server.getVersion())
				.secure(isSecure())
				.metadata(metadata)
				.build());
		}

		private @Nullable String serviceName(int port) {
			String explicit = this.discovery.getWebServiceName();
			if (StringUtils.hasText(explicit)) {
				return explicit; // not the micro server's: checked at creation
			}
			String name = this.environment.getProperty("spring.application.name", "application");
			Server micro = this.microServer.getIfAvailable();
			if (micro != null && micro.name().equals(name)) {
				logger.info("web server on port {} not registered: this application's micro server registers {} "
						+ "already; set micro.discovery.web-service-name to register it under a name of its own, "
						+ "or micro.server.enabled=false when the application serves no micro endpoints", port, name);
				return null;
			}
			return name;
		}

		private HostPort advertise(int port) {
			String advertise = this.discovery.getWebAdvertise();
			if (StringUtils.hasText(advertise)) {
				HostPort parsed = HostPort.parse(advertise);
				if (parsed.host().isEmpty()) {
					throw new IllegalArgumentException("micro.discovery.web-advertise: \"" + advertise
							+ "\" (expected: host:port, such as 10.0.0.5:8080)");
				}
				return parsed;
			}
			String bound = this.environment.getProperty("server.address");
			InetAddress address = null;
			if (StringUtils.hasText(bound)) {
				try {
					address = InetAddress.getByName(bound);
				}
				catch (UnknownHostException ex) {
					throw new IllegalArgumentException("server.address: \"" + bound + "\" cannot be resolved", ex);
				}
			}
			InetSocketAddress socket = (address != null) ? new InetSocketAddress(address, port)
					: new InetSocketAddress(port);
			return HostPort.parse(Addresses.advertise(socket));
		}

		private boolean isSecure() {
			if (!this.environment.getProperty("server.ssl.enabled", Boolean.class, true)) {
				return false;
			}
			return StringUtils.hasText(this.environment.getProperty("server.ssl.bundle"))
					|| StringUtils.hasText(this.environment.getProperty("server.ssl.key-store"))
					|| StringUtils.hasText(this.environment.getProperty("server.ssl.certificate"));
		}

	}

}
