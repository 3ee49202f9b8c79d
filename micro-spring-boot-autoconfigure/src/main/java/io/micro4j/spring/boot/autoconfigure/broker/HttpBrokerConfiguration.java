package io.micro4j.spring.boot.autoconfigure.broker;

import io.micro4j.broker.Broker;
import io.micro4j.broker.http.HttpBroker;
import io.micro4j.registry.Registry;
import io.micro4j.runtime.MicroRuntime;
import io.micro4j.spring.boot.autoconfigure.ssl.ClientSslProperties;
import io.micro4j.spring.boot.autoconfigure.ssl.ServerSslProperties;
import io.micro4j.spring.boot.autoconfigure.ssl.SslBundleTls;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static io.micro4j.spring.boot.autoconfigure.broker.BuilderProperties.apply;

/**
 * go-micro's http broker over the context's {@link Registry}, with {@code micro.broker.http.*}, on the
 * {@link MicroRuntime}'s event loop group and timer, and its handler executor unless
 * {@code micro.broker.http.handler-threads} is set. Its listener speaks TLS with the SSL bundle
 * {@code micro.server.ssl.bundle} (and {@code micro.server.ssl.client-auth}); it delivers to subscribers that
 * registered {@code secure=true} with TLS per {@code micro.client.ssl.*}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "micro.broker.type", havingValue = "http")
class HttpBrokerConfiguration {

	private static final String PREFIX = "micro.broker.http.";

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	HttpBroker microBroker(Registry registry, MicroBrokerProperties properties, ObjectProvider<MicroRuntime> runtime,
			Environment environment, ObjectProvider<SslBundles> sslBundles) {
		MicroBrokerProperties.Http http = properties.getHttp();
		Binder binder = Binder.get(environment);
		HttpBroker.Builder builder = HttpBroker.builder(registry)
			.listenerTls(SslBundleTls.server(binder.bindOrCreate("micro.server.ssl", ServerSslProperties.class),
					sslBundles, "http broker listener"))
			.clientTls(SslBundleTls.client(binder.bindOrCreate("micro.client.ssl", ClientSslProperties.class),
					sslBundles, "http broker publisher"));
		runtime.ifAvailable((rt) -> {
			builder.eventLoopGroup(rt.eventLoopGroup()).scheduler(rt.timer());
			if (http.getHandlerThreads() == null) {
				builder.executor(rt.handlerExecutor());
			}
		});
		apply(PREFIX + "address", http.getAddress(), builder::address);
		apply(PREFIX + "advertise", http.getAdvertise(), builder::advertise);
		apply(PREFIX + "outbox-size", http.getOutboxSize(), builder::outboxSize);
		apply(PREFIX + "retry-backoff", http.getRetryBackoff(), builder::retryBackoff);
		apply(PREFIX + "max-retry-backoff", http.getMaxRetryBackoff(), builder::maxRetryBackoff);
		apply(PREFIX + "retry-timeout", http.getRetryTimeout(), builder::retryTimeout);
		apply(PREFIX + "send-timeout", http.getSendTimeout(), builder::sendTimeout);
		apply(PREFIX + "max-in-flight", http.getMaxInFlight(), builder::maxInFlight);
		apply(PREFIX + "handler-queue-size", http.getHandlerQueueSize(), builder::handlerQueueSize);
		builder.listenerLimits(http.getListener().toConnectionLimits(PREFIX + "listener."));
		if (http.getHandlerThreads() != null) {
			apply(PREFIX + "handler-threads", http.getHandlerThreads(), builder::handlerThreads);
		}
		try {
			return builder.build();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "max-retry-backoff",
					http.getMaxRetryBackoff(), ex.getMessage());
		}
	}

}
