package io.micro4j.spring.boot.autoconfigure.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micro4j.broker.Broker;
import io.micro4j.codec.Codecs;
import io.micro4j.observation.ReceiveConvention;
import io.micro4j.observation.ServerCallConvention;
import io.micro4j.registry.Registry;
import io.micro4j.runtime.MicroRuntime;
import io.micro4j.server.DefaultServer;
import io.micro4j.server.HandlerWrapper;
import io.micro4j.server.Server;
import io.micro4j.server.SubscriberWrapper;
import io.micro4j.spring.boot.autoconfigure.broker.MicroBrokerAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.codec.MicroCodecAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.observation.MicroObservationAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.ssl.SslBundleTls;
import io.micro4j.spring.server.MicroAnnotationsPostProcessor;
import io.micro4j.spring.server.MicroServerLifecycle;
import io.micro4j.transport.TransportServer;
import io.micro4j.transport.http.HttpTransportServer;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the micro server, active unless {@code micro.server.enabled=false}. Registers:
 * <ul>
 * <li>{@code microAnnotationsPostProcessor}, which collects {@link io.micro4j.spring.annotation.MicroHandler} beans
 * and {@link io.micro4j.spring.annotation.MicroSubscriber} methods;</li>
 * <li>{@code microTransportServer}, an {@link HttpTransportServer} on {@code micro.server.address} with the
 * {@code micro.server.transport.*} connection limits, on the {@link MicroRuntime}'s event loop group; TLS only
 * (registered {@code secure=true}) with the certificate of the SSL bundle {@code micro.server.ssl.bundle}, asking
 * clients for theirs per {@code micro.server.ssl.client-auth}, reloaded with the bundle;</li>
 * <li>{@code microServerExecutor}, a pool of {@code micro.server.handler-threads} threads with a queue bounded by
 * {@code micro.server.max-queued-calls} (a call that finds it full gets a 503), only when that property is set;
 * shut down with the context;</li>
 * <li>{@code microServer}, a {@link DefaultServer} named {@code micro.server.name} (else
 * {@code spring.application.name}) over the registry, the broker, that transport and the codecs, limited to
 * {@code micro.server.max-concurrent-calls} calls in flight (and {@code micro.server.endpoints[<endpoint>].*} per
 * endpoint), observed through the context's {@link ObservationRegistry} with the convention beans and wrapped by
 * every {@link HandlerWrapper} and {@link SubscriberWrapper} bean in {@code @Order} order (the lowest order is
 * outermost); handlers run on {@code microServerExecutor} when present, else on the {@link MicroRuntime}'s handler
 * executor;</li>
 * <li>{@code microServerLifecycle}, a {@link MicroServerLifecycle} that starts the server after the context is
 * refreshed and stops it (deregister, deregister delay, drain, close) before the web server shuts down.</li>
 * </ul>
 */
@AutoConfiguration(after = { MicroRegistryAutoConfiguration.class, MicroBrokerAutoConfiguration.class,
		MicroCodecAutoConfiguration.class, MicroObservationAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnBooleanProperty(name = "micro.server.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MicroServerProperties.class)
public final class MicroServerAutoConfiguration {

	/** The name of the handler executor bean. */
	public static final String EXECUTOR_BEAN_NAME = "microServerExecutor";

	@Bean
	@ConditionalOnMissingBean(MicroAnnotationsPostProcessor.class)
	static MicroAnnotationsPostProcessor microAnnotationsPostProcessor() {
		return new MicroAnnotationsPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean(TransportServer.class)
	HttpTransportServer microTransportServer(MicroServerProperties properties, ObjectProvider<MicroRuntime> runtime,
			ObjectProvider<SslBundles> sslBundles) {
		if (!"mucp".equalsIgnoreCase(properties.getProtocol())) {
			throw new InvalidConfigurationPropertyValueException("micro.server.protocol", properties.getProtocol(),
					"grpc".equalsIgnoreCase(properties.getProtocol())
							? "the gRPC server needs micro-grpc on the class path (io.micro4j:micro-grpc)"
							: "expected: mucp or grpc");
		}
		long maxBodySize = properties.getMaxBodySize().toBytes();
		if (maxBodySize <= 0 || maxBodySize > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException("micro.server.max-body-size",
					properties.getMaxBodySize(), "expected: between 1B and 2GB");
		}
		HttpTransportServer.Builder builder = HttpTransportServer.builder()
			.address(properties.getAddress())
			.maxBodySize((int) maxBodySize)
			.limits(properties.getTransport().toConnectionLimits("micro.server.transport."))
			.tls(SslBundleTls.server(properties.getSsl(), sslBundles, "micro server"));
		runtime.ifAvailable((rt) -> builder.eventLoopGroup(rt.eventLoopGroup()));
		return builder.build();
	}

	@Bean(name = EXECUTOR_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnProperty("micro.server.handler-threads")
	@ConditionalOnMissingBean(name = EXECUTOR_BEAN_NAME)
	ExecutorService microServerExecutor(MicroServerProperties properties) {
		Integer threads = properties.getHandlerThreads();
		if (threads == null || threads < 1) {
			throw new InvalidConfigurationPropertyValueException("micro.server.handler-threads", threads,
					"expected: >= 1");
		}
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(positive("micro.server.max-queued-calls", properties.getMaxQueuedCalls())),
				new CustomizableThreadFactory("micro-handler-"));
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	@Bean
	@ConditionalOnMissingBean(Server.class)
	DefaultServer microServer(MicroServerProperties properties, Environment environment, Registry registry,
			TransportServer transportServer, Codecs codecs, ObjectProvider<Broker> broker,
			@Qualifier(EXECUTOR_BEAN_NAME) ObjectProvider<ExecutorService> executor,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<ServerCallConvention> callConvention, ObjectProvider<ReceiveConvention> receiveConvention,
			ObjectProvider<HandlerWrapper> wrappers, ObjectProvider<SubscriberWrapper> subscriberWrappers,
			ObjectProvider<MicroRuntime> runtime) {
		DefaultServer.Builder builder = DefaultServer.builder(serviceName(properties, environment))
			.version(properties.getVersion())
			.address(properties.getAddress())
			.advertise(StringUtils.hasText(properties.getAdvertise()) ? properties.getAdvertise() : null)
			.metadata(properties.getMetadata())
			.registry(registry)
			.transport(transportServer)
			.codecs(codecs)
			.registerTtl(properties.getRegisterTtl())
			.registerInterval(properties.getRegisterInterval())
			.deregisterDelay(properties.getDeregisterDelay())
			.drainTimeout(properties.getDrainTimeout())
			.exposeExceptionMessages(properties.isExposeExceptionMessages())
			.maxQueuedCalls(positive("micro.server.max-queued-calls", properties.getMaxQueuedCalls()))
			.maxConcurrentCalls(positive("micro.server.max-concurrent-calls", properties.getMaxConcurrentCalls()))
			.observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
		broker.ifUnique(builder::broker);
		executor.ifAvailable(builder::executor);
		if (executor.getIfAvailable() == null) {
			runtime.ifAvailable((rt) -> builder.executor(rt.handlerExecutor()));
		}
		callConvention.ifUnique(builder::callConvention);
		receiveConvention.ifUnique(builder::receiveConvention);
		wrappers.orderedStream().forEach(builder::wrapper);
		subscriberWrappers.orderedStream().forEach(builder::subscriberWrapper);
		properties.getEndpoints().forEach((endpoint, settings) -> {
			Integer max = settings.getMaxConcurrentCalls();
			if (max != null) {
				builder.endpointConcurrencyLimit(endpoint,
						positive("micro.server.endpoints[" + endpoint + "].max-concurrent-calls", max));
			}
		});
		return builder.build();
	}

	private static int positive(String property, int value) {
		if (value < 1) {
			throw new InvalidConfigurationPropertyValueException(property, value, "expected: >= 1");
		}
		return value;
	}

	@Bean
	@ConditionalOnMissingBean(MicroServerLifecycle.class)
	MicroServerLifecycle microServerLifecycle(Server server, MicroAnnotationsPostProcessor annotations) {
		return new MicroServerLifecycle(server, annotations);
	}

	static String serviceName(MicroServerProperties properties, Environment environment) {
		String name = properties.getName();
		if (!StringUtils.hasText(name)) {
			name = environment.getProperty("spring.application.name");
		}
		if (!StringUtils.hasText(name)) {
			throw new InvalidConfigurationPropertyValueException("micro.server.name", null,
					"the service needs a name: set micro.server.name or spring.application.name "
							+ "(or micro.server.enabled=false for a client-only application)");
		}
		return name.trim();
	}

}
