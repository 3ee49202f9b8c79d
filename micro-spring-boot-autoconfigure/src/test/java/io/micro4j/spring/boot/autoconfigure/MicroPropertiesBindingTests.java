package io.micro4j.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micro4j.client.CallOptions;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCache;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.server.DefaultServer;
import io.micro4j.spring.boot.autoconfigure.broker.MicroBrokerProperties;
import io.micro4j.spring.boot.autoconfigure.client.MicroClientProperties;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryProperties;
import io.micro4j.spring.boot.autoconfigure.selector.MicroSelectorProperties;
import io.micro4j.spring.boot.autoconfigure.server.MicroServerProperties;
import io.micro4j.transport.http.HttpTransportClient;
import io.micro4j.transport.http.HttpTransportServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class MicroPropertiesBindingTests {

	private static <T> T bind(String prefix, Class<T> type, Map<String, String> values) {
		Binder binder = new Binder(new MapConfigurationPropertySource(values));
		return binder.bindOrCreate(prefix, Bindable.of(type));
	}

	@Test
	void whenNothingIsSetThenDefaultsAreGoMicrosAndMatchTheCoreConstants() {
		MicroServerProperties server = bind("micro.server", MicroServerProperties.class, Map.of());
		assertThat(server.getVersion()).isEqualTo("latest");
		assertThat(server.getAddress()).isEqualTo(":0");
		assertThat(server.getRegisterTtl()).isEqualTo(Registry.DEFAULT_TTL);
		assertThat(server.getRegisterInterval()).isEqualTo(DefaultServer.DEFAULT_REGISTER_INTERVAL);
		assertThat(server.getDrainTimeout()).isEqualTo(DefaultServer.DEFAULT_DRAIN_TIMEOUT);
		assertThat(server.getDeregisterDelay()).isZero();
		assertThat(server.getMaxBodySize().toBytes()).isEqualTo(HttpTransportServer.DEFAULT_MAX_BODY_SIZE);
		assertThat(server.getName()).isNull();
		assertThat(server.isEnabled()).isTrue();

		MicroClientProperties client = bind("micro.client", MicroClientProperties.class, Map.of());
		assertThat(client.getRequestTimeout()).isEqualTo(CallOptions.DEFAULT_REQUEST_TIMEOUT);
		assertThat(client.getConnectionTimeout()).isEqualTo(CallOptions.DEFAULT_CONNECTION_TIMEOUT);
		assertThat(client.getRetries()).isEqualTo(CallOptions.DEFAULT_RETRIES);
		assertThat(client.getBackoff()).isEqualTo("jitter");
		assertThat(client.getRetryPolicy()).isEqualTo("safe");
		assertThat(client.getRetryBudget().getRatio()).isEqualTo(io.micro4j.client.RetryBudget.DEFAULT_RATIO);
		assertThat(client.getRetryBudget().getMinRetries()).isEqualTo(io.micro4j.client.RetryBudget.DEFAULT_MIN_RETRIES);
		assertThat(client.getRetryBudget().getWindow()).isEqualTo(io.micro4j.client.RetryBudget.DEFAULT_WINDOW);
		assertThat(client.getContentType()).isEqualTo("application/json");
		assertThat(client.getPoolSize()).isEqualTo(HttpTransportClient.DEFAULT_POOL_SIZE);
		assertThat(client.getPoolTtl()).isEqualTo(HttpTransportClient.DEFAULT_POOL_TTL);
		assertThat(client.getDialTimeout()).isEqualTo(HttpTransportClient.DEFAULT_DIAL_TIMEOUT);

		MicroRegistryProperties registry = bind("micro.registry", MicroRegistryProperties.class, Map.of());
		assertThat(registry.getType()).isEqualTo("memory");
		assertThat(registry.getCacheTtl()).isEqualTo(RegistryCache.DEFAULT_TTL);

		MicroSelectorProperties selector = bind("micro.selector", MicroSelectorProperties.class, Map.of());
		assertThat(selector.getStrategy()).isEqualTo("random");
		assertThat(selector.getEjectionBase()).isEqualTo(Duration.ofSeconds(1));
		assertThat(selector.getEjectionMax()).isEqualTo(Duration.ofSeconds(30));
		assertThat(selector.getConsecutiveNotProcessed()).isEqualTo(DefaultSelector.DEFAULT_CONSECUTIVE_NOT_PROCESSED);
		assertThat(selector.getConsecutiveTimeouts()).isEqualTo(DefaultSelector.DEFAULT_CONSECUTIVE_TIMEOUTS);
		assertThat(selector.getConsecutiveErrors()).isEqualTo(DefaultSelector.DEFAULT_CONSECUTIVE_ERRORS);
		assertThat(selector.getMaxEjectionPercent()).isEqualTo(DefaultSelector.DEFAULT_MAX_EJECTION_PERCENT);
		assertThat(selector.getMaxInFlightPerNode()).isEqualTo(DefaultSelector.DEFAULT_MAX_IN_FLIGHT_PER_NODE);

		assertThat(bind("micro.broker", MicroBrokerProperties.class, Map.of()).getType()).isEqualTo("memory");
	}

	@Test
	void whenServerPropertiesAreSetThenTheyBindIncludingDurationsSizesAndMetadata() {
		MicroServerProperties server = bind("micro.server", MicroServerProperties.class,
				Map.of("micro.server.name", "greeter", "micro.server.version", "1.2.0", "micro.server.address",
						"127.0.0.1:18080", "micro.server.advertise", "10.0.0.7:18080", "micro.server.register-ttl",
						"60s", "micro.server.register-interval", "15s", "micro.server.deregister-delay", "2s",
						"micro.server.max-body-size", "8MB", "micro.server.metadata.zone", "eu-1",
						"micro.server.handler-threads", "16"));
		assertThat(server.getName()).isEqualTo("greeter");
		assertThat(server.getVersion()).isEqualTo("1.2.0");
		assertThat(server.getAddress()).isEqualTo("127.0.0.1:18080");
		assertThat(server.getAdvertise()).isEqualTo("10.0.0.7:18080");
		assertThat(server.getRegisterTtl()).isEqualTo(Duration.ofSeconds(60));
		assertThat(server.getRegisterInterval()).isEqualTo(Duration.ofSeconds(15));
		assertThat(server.getDeregisterDelay()).isEqualTo(Duration.ofSeconds(2));
		assertThat(server.getMaxBodySize()).isEqualTo(DataSize.ofMegabytes(8));
		assertThat(server.getMetadata()).containsExactly(Map.entry("zone", "eu-1"));
		assertThat(server.getHandlerThreads()).isEqualTo(16);
	}

	@Test
	void whenPerServiceClientOverridesAreSetThenTheyBindByServiceName() {
		MicroClientProperties client = bind("micro.client", MicroClientProperties.class,
				Map.of("micro.client.retries", "1", "micro.client.services.greeter.request-timeout", "2s",
						"micro.client.services.greeter.backoff", "none", "micro.client.services.stats.retries", "0"));
		assertThat(client.getRetries()).isEqualTo(1);
		assertThat(client.getServices()).containsOnlyKeys("greeter", "stats");
		assertThat(client.getServices().get("greeter").getRequestTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(client.getServices().get("greeter").getBackoff()).isEqualTo("none");
		assertThat(client.getServices().get("greeter").getRetries()).isNull();
		assertThat(client.getServices().get("stats").getRetries()).isZero();
	}

	@Test
	void whenRegistryAndBrokerAddressesAreCommaSeparatedThenTheyBindAsLists() {
		MicroRegistryProperties registry = bind("micro.registry", MicroRegistryProperties.class,
				Map.of("micro.registry.type", "etcd", "micro.registry.address", "10.0.0.1:2379,10.0.0.2:2379",
						"micro.registry.cache-ttl", "30s"));
		assertThat(registry.getType()).isEqualTo("etcd");
		assertThat(registry.getAddress()).isEqualTo(List.of("10.0.0.1:2379", "10.0.0.2:2379"));
		assertThat(registry.getCacheTtl()).isEqualTo(Duration.ofSeconds(30));
		MicroBrokerProperties broker = bind("micro.broker", MicroBrokerProperties.class,
				Map.of("micro.broker.type", "nats", "micro.broker.address", "nats://127.0.0.1:4222"));
		assertThat(broker.getAddress()).containsExactly("nats://127.0.0.1:4222");
	}

	@Test
	void whenSelectorPropertiesAreSetThenTheyBind() {
		MicroSelectorProperties selector = bind("micro.selector", MicroSelectorProperties.class,
				Map.of("micro.selector.strategy", "round-robin", "micro.selector.ejection-base", "500ms",
						"micro.selector.ejection-max", "1m"));
		assertThat(selector.getStrategy()).isEqualTo("round-robin");
		assertThat(selector.getEjectionBase()).isEqualTo(Duration.ofMillis(500));
		assertThat(selector.getEjectionMax()).isEqualTo(Duration.ofMinutes(1));
	}

}
