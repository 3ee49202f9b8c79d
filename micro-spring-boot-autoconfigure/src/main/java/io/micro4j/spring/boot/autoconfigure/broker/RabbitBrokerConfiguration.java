package io.micro4j.spring.boot.autoconfigure.broker;

import io.micro4j.broker.Broker;
import io.micro4j.broker.rabbitmq.RabbitBroker;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The RabbitMQ broker ({@code micro.broker.type=rabbitmq}, module {@code micro-broker-rabbitmq}) at
 * {@code micro.broker.address} (go-micro's {@code amqp://guest:guest@127.0.0.1:5672} when unset), configured by
 * {@code micro.broker.rabbitmq.*} and then by {@link RabbitBrokerCustomizer} beans. It connects on first use.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(RabbitBroker.class)
@ConditionalOnProperty(name = "micro.broker.type", havingValue = "rabbitmq")
@EnableConfigurationProperties(RabbitBrokerProperties.class)
class RabbitBrokerConfiguration {

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	RabbitBroker microBroker(MicroBrokerProperties broker, RabbitBrokerProperties rabbit,
			ObjectProvider<RabbitBrokerCustomizer> customizers) {
		RabbitBroker.Builder builder = broker.getAddress().isEmpty() ? RabbitBroker.builder()
				: RabbitBroker.builder(broker.getAddress());
		builder.exchange(rabbit.getExchange())
			.durableExchange(rabbit.isDurableExchange())
			.durableQueue(rabbit.isDurableQueue())
			.persistent(rabbit.isPersistent())
			.publisherConfirms(rabbit.isPublisherConfirms())
			.confirmTimeout(rabbit.getConfirmTimeout())
			.ackOnSuccess(rabbit.isAckOnSuccess())
			.requeueOnError(rabbit.isRequeueOnError())
			.maxRedeliveries(rabbit.getMaxRedeliveries())
			.deadLetterExchange(rabbit.getDeadLetter())
			.prefetch(rabbit.getPrefetch())
			.connectTimeout(rabbit.getConnectTimeout())
			.operationTimeout(rabbit.getOperationTimeout())
			.recoveryInterval(rabbit.getRecoveryInterval());
		if (rabbit.getUsername() != null) {
			builder.username(rabbit.getUsername());
		}
		if (rabbit.getPassword() != null) {
			builder.password(rabbit.getPassword());
		}
		if (rabbit.getVirtualHost() != null) {
			builder.virtualHost(rabbit.getVirtualHost());
		}
		customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
		return builder.build();
	}

}
