package io.micro4j.spring.boot.autoconfigure.integration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.client.CallWrapper;
import io.micro4j.client.Idempotent;
import io.micro4j.metadata.CallContext;
import io.micro4j.server.HandlerWrapper;
import io.micro4j.spring.annotation.MicroClient;
import io.micro4j.spring.annotation.MicroHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client decorator and a server decorator, both declared as beans: the metadata the client's {@link CallWrapper}
 * adds reaches the server's {@link HandlerWrapper} and the handler on every attempt, retries included.
 */
class DecoratorBeansIntegrationTests {

	private final MicroApps apps = new MicroApps();

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	record Lookup(String id) {
	}

	record Found(String id, String tenant) {
	}

	/** An idempotent endpoint whose first call is slower than the caller's attempt timeout. */
	@MicroHandler
	static class Inventory {

		final AtomicInteger calls = new AtomicInteger();

		final List<String> tenants = new CopyOnWriteArrayList<>();

		@Idempotent
		public Found find(Lookup lookup) throws InterruptedException {
			String tenant = CallContext.current().metadata().get("X-Tenant").orElse("none");
			this.tenants.add(tenant);
			if (this.calls.incrementAndGet() == 1) {
				Thread.sleep(800);
			}
			return new Found(lookup.id(), tenant);
		}

	}

	@MicroClient("inventory")
	interface InventoryClient {

		Found find(Lookup lookup);

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ServerApp {

		final List<String> seenByWrapper = new CopyOnWriteArrayList<>();

		@Bean
		Inventory inventory() {
			return new Inventory();
		}

		@Bean
		@Order(10)
		HandlerWrapper tenantRecorder() {
			return next -> request -> {
				this.seenByWrapper.add(request.metadata().get("X-Tenant").orElse("none"));
				return next.handle(request);
			};
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ClientApp {

		@Bean
		@Order(10)
		CallWrapper tenantPropagator() {
			return next -> context -> {
				context.putMetadata("X-Tenant", "t1");
				return next.call(context);
			};
		}

	}

	@Test
	void whenAClientWrapperBeanAddsMetadataThenTheServerWrapperBeanAndTheHandlerSeeItOnEveryAttempt() {
		ConfigurableApplicationContext server = this.apps.start(ServerApp.class, "spring.application.name=inventory");
		ConfigurableApplicationContext client = this.apps.start(ClientApp.class, "micro.server.enabled=false",
				"micro.client.connection-timeout=300ms");

		Found found = client.getBean(InventoryClient.class).find(new Lookup("sku-1"));

		Inventory inventory = server.getBean(Inventory.class);
		assertThat(found).isEqualTo(new Found("sku-1", "t1"));
		assertThat(inventory.calls).hasValue(2);
		assertThat(inventory.tenants).containsExactly("t1", "t1");
		assertThat(server.getBean(ServerApp.class).seenByWrapper).containsExactly("t1", "t1");
	}

}
