package io.micro4j.spring.boot.autoconfigure.broker;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Settings of the RabbitMQ broker ({@code micro.broker.rabbitmq.*}), used when {@code micro.broker.type} is
 * {@code rabbitmq}; the address comes from {@code micro.broker.address}. The defaults keep go-micro's wire and
 * delivery (auto-ack: at most once); {@code ack-on-success} with {@code durable-queue} gives at least once.
 */
@ConfigurationProperties("micro.broker.rabbitmq")
public class RabbitBrokerProperties {

	/**
	 * The topic exchange messages are published to (go-micro's is "micro").
	 */
	private String exchange = "micro";

	/**
	 * Whether the exchange survives a RabbitMQ restart; every service on the exchange must agree.
	 */
	private boolean durableExchange = false;

	/**
	 * Whether queue-group queues are durable and kept while no subscriber is connected (otherwise they are
	 * deleted with their last subscriber, as go-micro's).
	 */
	private boolean durableQueue = false;

	/**
	 * Whether messages are published persistent (delivery mode 2).
	 */
	private boolean persistent = true;

	/**
	 * Whether publishing waits for RabbitMQ's publisher confirm, so a publish that returns was accepted.
	 */
	private boolean publisherConfirms = true;

	/**
	 * How long a publish waits for its publisher confirm before it fails.
	 */
	private Duration confirmTimeout = Duration.ofSeconds(5);

	/**
	 * Whether messages are acknowledged after the subscriber returns (at least once) instead of on delivery (at
	 * most once, go-micro's default).
	 */
	private boolean ackOnSuccess = false;

	/**
	 * Whether a message whose subscriber threw is requeued, up to max-redeliveries times, when acknowledging after
	 * success.
	 */
	private boolean requeueOnError = true;

	/**
	 * How many times a failing message is redelivered before it is dead-lettered or dropped.
	 */
	private int maxRedeliveries = 5;

	/**
	 * The exchange given-up messages are published to (into the durable queue "<queue>.dlq"); empty drops them
	 * with a warning.
	 */
	private String deadLetter = "";

	/**
	 * How many unacknowledged messages a subscription may hold when acknowledging after success.
	 */
	private int prefetch = 100;

	/**
	 * The timeout for connecting to RabbitMQ (TCP and AMQP handshake).
	 */
	private Duration connectTimeout = Duration.ofSeconds(10);

	/**
	 * The timeout of every AMQP operation (declare, bind, consume, close).
	 */
	private Duration operationTimeout = Duration.ofSeconds(10);

	/**
	 * How long to wait between attempts to recover a lost connection.
	 */
	private Duration recoveryInterval = Duration.ofSeconds(1);

	/**
	 * The user to log in as; unset uses the address's user info, else "guest".
	 */
	private @Nullable String username;

	/**
	 * The password to log in with; unset uses the address's user info, else "guest".
	 */
	private @Nullable String password;

	/**
	 * The virtual host; unset uses the address's path, else "/".
	 */
	private @Nullable String virtualHost;

	/**
	 * TLS to RabbitMQ (amqps:// addresses), from a Spring Boot SSL bundle.
	 */
	@NestedConfigurationProperty
	private final BrokerSslProperties ssl = new BrokerSslProperties();

	public BrokerSslProperties getSsl() {
		return this.ssl;
	}

	public String getExchange() {
		return this.exchange;
	}

	public void setExchange(String exchange) {
		this.exchange = exchange;
	}

	public boolean isDurableExchange() {
		return this.durableExchange;
	}

	public void setDurableExchange(boolean durableExchange) {
		this.durableExchange = durableExchange;
	}

	public boolean isDurableQueue() {
		return this.durableQueue;
	}

	public void setDurableQueue(boolean durableQueue) {
		this.durableQueue = durableQueue;
	}

	public boolean isPersistent() {
		return this.persistent;
	}

	public void setPersistent(boolean persistent) {
		this.persistent = persistent;
	}

	public boolean isPublisherConfirms() {
		return this.publisherConfirms;
	}

	public void setPublisherConfirms(boolean publisherConfirms) {
		this.publisherConfirms = publisherConfirms;
	}

	public Duration getConfirmTimeout() {
		return this.confirmTimeout;
	}

	public void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	public boolean isAckOnSuccess() {
		return this.ackOnSuccess;
	}

	public void setAckOnSuccess(boolean ackOnSuccess) {
		this.ackOnSuccess = ackOnSuccess;
	}

	public boolean isRequeueOnError() {
		return this.requeueOnError;
	}

	public void setRequeueOnError(boolean requeueOnError) {
		this.requeueOnError = requeueOnError;
	}

	public int getMaxRedeliveries() {
		return this.maxRedeliveries;
	}

	public void setMaxRedeliveries(int maxRedeliveries) {
		this.maxRedeliveries = maxRedeliveries;
	}

	public String getDeadLetter() {
		return this.deadLetter;
	}

	public void setDeadLetter(String deadLetter) {
		this.deadLetter = deadLetter;
	}

	public int getPrefetch() {
		return this.prefetch;
	}

	public void setPrefetch(int prefetch) {
		this.prefetch = prefetch;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getOperationTimeout() {
		return this.operationTimeout;
	}

	public void setOperationTimeout(Duration operationTimeout) {
		this.operationTimeout = operationTimeout;
	}

	public Duration getRecoveryInterval() {
		return this.recoveryInterval;
	}

	public void setRecoveryInterval(Duration recoveryInterval) {
		this.recoveryInterval = recoveryInterval;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public @Nullable String getVirtualHost() {
		return this.virtualHost;
	}

	public void setVirtualHost(@Nullable String virtualHost) {
		this.virtualHost = virtualHost;
	}

}
