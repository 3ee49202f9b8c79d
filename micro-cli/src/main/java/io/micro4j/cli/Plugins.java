package io.micro4j.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.micro4j.broker.Broker;
import io.micro4j.broker.http.HttpBroker;
import io.micro4j.broker.nats.NatsBroker;
import io.micro4j.broker.rabbitmq.RabbitBroker;
import io.micro4j.registry.Registry;
import io.micro4j.registry.consul.ConsulRegistry;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.runtime.MicroRuntime;

/**
 * The registry and broker the global options name, made with their builders: go-micro's plugin names and addresses,
 * every remote step bounded by the timeout.
 * @param registry the registry type: {@code etcd} or {@code consul}
 * @param registryAddress comma-separated addresses; blank for the registry's default
 * @param broker the broker type: {@code http}, {@code nats} or {@code rabbitmq}
 * @param brokerAddress the broker's address; blank for its default
 * @param timeout the bound of each remote step
 * @param environment the process environment (credentials: {@code ETCD_USERNAME}, {@code ETCD_PASSWORD},
 * {@code CONSUL_HTTP_TOKEN})
 */
record Plugins(String registry, String registryAddress, String broker, String brokerAddress, Duration timeout,
		Map<String, String> environment) {

	/** The registry types. */
	static final List<String> REGISTRIES = List.of("etcd", "consul");

	/** The broker types. */
	static final List<String> BROKERS = List.of("http", "nats", "rabbitmq");

	/**
	 * A new registry, not yet connected (the first call connects).
	 * @throws CliException (usage) when the type is unknown or the address malformed
	 */
	Registry newRegistry() {
		List<String> addresses = addresses(this.registryAddress);
		try {
			return switch (this.registry) {
				case "etcd" -> EtcdRegistry.builder(addresses)
					.timeout(this.timeout)
					.username(this.environment.get("ETCD_USERNAME"))
					.password(this.environment.get("ETCD_PASSWORD"))
					.build();
				case "consul" -> ConsulRegistry.builder(addresses.isEmpty() ? null : addresses.get(0))
					.timeout(this.timeout)
					.token(this.environment.get("CONSUL_HTTP_TOKEN"))
					.build();
				default -> throw CliException.usage("unknown registry '" + this.registry + "' (expected one of "
						+ String.join(", ", REGISTRIES) + ")");
			};
		}
		catch (IllegalArgumentException ex) {
			throw CliException.usage("registry " + this.registry + ": " + ex.getMessage());
		}
	}

	/**
	 * A new broker on {@code registry} (the http broker's) and {@code runtime}'s threads.
	 * @throws CliException (usage) when the type is unknown or the address malformed; (broker unreachable) when a
	 * broker that connects at once cannot
	 */
	Broker newBroker(Registry registry, MicroRuntime runtime) {
		String address = this.brokerAddress;
		try {
			return switch (this.broker) {
				case "http" -> HttpBroker.builder(registry)
					.eventLoopGroup(runtime.eventLoopGroup())
					.scheduler(runtime.timer())
					.executor(runtime.handlerExecutor())
					.sendTimeout(this.timeout)
					.retryTimeout(this.timeout)
					.build();
				case "nats" -> NatsBroker.builder()
					.servers(address.isEmpty() ? List.of(NatsBroker.DEFAULT_SERVER) : addresses(address))
					.connectionTimeout(this.timeout)
					.drainTimeout(this.timeout)
					.maxReconnects(0)
					.build();
				case "rabbitmq" -> RabbitBroker
					.builder(address.isEmpty() ? List.of(RabbitBroker.DEFAULT_ADDRESS) : addresses(address))
					.connectTimeout(this.timeout)
					.operationTimeout(this.timeout)
					.publisherConfirms(true)
					.confirmTimeout(this.timeout)
					.build();
				default -> throw CliException.usage("unknown broker '" + this.broker + "' (expected one of "
						+ String.join(", ", BROKERS) + ")");
			};
		}
		catch (CliException ex) {
			throw ex;
		}
		catch (IllegalArgumentException ex) {
			throw CliException.usage("broker " + this.broker + ": " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			throw new CliException(MicroCli.BROKER_UNREACHABLE,
					"micro: broker " + brokerDescription() + " is unreachable: " + ex.getMessage());
		}
	}

	/** {@code etcd at 127.0.0.1:2379}, for messages. */
	String registryDescription() {
		return this.registry + (this.registryAddress.isEmpty() ? " (default address)" : " at " + this.registryAddress);
	}

	/** {@code nats at nats://...}, for messages. */
	String brokerDescription() {
		return this.broker + (this.brokerAddress.isEmpty() ? " (default address)" : " at " + this.brokerAddress);
	}

	/** The settings without the environment, which may hold credentials. */
	@Override
	public String toString() {
		return "Plugins[registry=" + registryDescription() + ", broker=" + brokerDescription() + ", timeout="
				+ this.timeout + "]";
	}

	private static List<String> addresses(String text) {
		return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
	}

}
