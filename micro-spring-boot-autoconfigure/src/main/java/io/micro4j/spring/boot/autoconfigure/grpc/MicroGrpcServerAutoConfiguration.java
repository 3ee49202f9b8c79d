package io.micro4j.spring.boot.autoconfigure.grpc;

import io.micro4j.grpc.GrpcTransportServer;
import io.micro4j.spring.boot.autoconfigure.server.MicroServerAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.server.MicroServerProperties;
import io.micro4j.transport.TransportServer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * The micro server on go-micro's gRPC wire, when {@code micro.server.protocol=grpc} and {@code micro-grpc} is on the
 * class path: {@code microTransportServer} is a {@link GrpcTransportServer} on {@code micro.server.address}, taking
 * messages up to {@code micro.server.max-body-size}; the node registers with {@code protocol=grpc}. Everything else
 * about the server (handlers, subscribers, limits, lifecycle) stays as with mucp.
 */
@AutoConfiguration(before = MicroServerAutoConfiguration.class)
@ConditionalOnClass(GrpcTransportServer.class)
@ConditionalOnBooleanProperty(name = "micro.server.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "micro.server.protocol", havingValue = "grpc")
@EnableConfigurationProperties(MicroServerProperties.class)
public final class MicroGrpcServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(TransportServer.class)
	GrpcTransportServer microTransportServer(MicroServerProperties properties) {
		long maxMessageSize = properties.getMaxBodySize().toBytes();
		if (maxMessageSize <= 0 || maxMessageSize > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException("micro.server.max-body-size",
					properties.getMaxBodySize(), "expected: between 1B and 2GB");
		}
		return GrpcTransportServer.builder()
			.address(properties.getAddress())
			.maxMessageSize((int) maxMessageSize)
			.build();
	}

}
