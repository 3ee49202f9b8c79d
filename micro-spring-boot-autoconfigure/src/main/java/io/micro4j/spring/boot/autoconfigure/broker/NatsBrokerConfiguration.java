package io.micro4j.spring.boot.autoconfigure.broker;

import java.util.List;

import io.micro4j.broker.Broker;
import io.micro4j.broker.nats.NatsBroker;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import static io.micro4j.spring.boot.autoconfigure.broker.BuilderProperties.apply;

/**
 * The NATS broker ({@code micro-broker-nats} on the classpath), connected to {@code micro.broker.address} (else
 * go-micro's {@code nats://127.0.0.1:4222}) with {@code micro.broker.nats.*}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(NatsBroker.class)
@ConditionalOnProperty(name = "micro.broker.type", havingValue = "nats")
class NatsBrokerConfiguration {

	private static final String PREFIX = "micro.broker.nats.";

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	NatsBroker microBroker(MicroBrokerProperties properties, Environment environment) {
		MicroBrokerProperties.Nats nats = properties.getNats();
		NatsBroker.Builder builder = NatsBroker.builder();
		List<String> servers = properties.getAddress().stream().filter(StringUtils::hasText).toList();
		if (!servers.isEmpty()) {
			apply("micro.broker.address", servers, builder::servers);
		}
		String name = StringUtils.hasText(nats.getConnectionName()) ? nats.getConnectionName()
				: environment.getProperty("spring.application.name");
		builder.connectionName(name);
		apply(PREFIX + "connection-timeout", nats.getConnectionTimeout(), builder::connectionTimeout);
		apply(PREFIX + "reconnect-wait", nats.getReconnectWait(), builder::reconnectWait);
		apply(PREFIX + "max-reconnects", nats.getMaxReconnects(), builder::maxReconnects);
		apply(PREFIX + "drain-timeout", nats.getDrainTimeout(), builder::drainTimeout);
		return builder.build();
	}

}
