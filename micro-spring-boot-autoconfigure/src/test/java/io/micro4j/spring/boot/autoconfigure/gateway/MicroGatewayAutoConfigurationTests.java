package io.micro4j.spring.boot.autoconfigure.gateway;

import java.time.Duration;
import java.util.List;

import io.micro4j.client.CallWrapper;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micro4j.spring.gateway.GatewayCredentialsCallWrapper;
import io.micro4j.spring.gateway.GatewayOptions;
import io.micro4j.spring.gateway.MicroGatewayHandler;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

class MicroGatewayAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(TestAutoConfigurations.ALL)
		.withConfiguration(AutoConfigurations.of(MicroGatewayAutoConfiguration.class))
		.withPropertyValues("micro.server.enabled=false");

	@Test
	void whenTheGatewayIsNotEnabledThenNoGatewayBeansExist() {
		this.runner.withPropertyValues("micro.gateway.services=*").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(MicroGatewayHandler.class);
			assertThat(context).doesNotHaveBean(SimpleUrlHandlerMapping.class);
			assertThat(context).doesNotHaveBean(GatewayCredentialsCallWrapper.class);
		});
	}

	@Test
	void whenTheGatewayIsEnabledThenItServesItsPathWithTheDefaults() {
		this.runner.withPropertyValues("micro.gateway.enabled=true", "micro.gateway.services=greeter,orders-*")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				GatewayOptions options = context.getBean(MicroGatewayHandler.class).options();
				assertThat(options).isEqualTo(new GatewayOptions("/api", List.of("greeter", "orders-*"), 1024 * 1024,
						null, Duration.ofSeconds(60), List.of("Authorization")));
				SimpleUrlHandlerMapping mapping = context.getBean(SimpleUrlHandlerMapping.class);
				assertThat(mapping.getOrder()).isEqualTo(MicroGatewayAutoConfiguration.HANDLER_MAPPING_ORDER);
				assertThat(handler(mapping, "/api/greeter/Greeter.Hello")).isSameAs(context.getBean(MicroGatewayHandler.class));
				assertThat(handler(mapping, "/api")).isSameAs(context.getBean(MicroGatewayHandler.class));
				assertThat(handler(mapping, "/apis/greeter/Greeter.Hello")).isNull();
				assertThat(context.getBeansOfType(CallWrapper.class).values())
					.hasAtLeastOneElementOfType(GatewayCredentialsCallWrapper.class);
			});
	}

	@Test
	void whenThePathTimeoutsAndHeadersAreSetThenTheGatewayUsesThem() {
		this.runner
			.withPropertyValues("micro.gateway.enabled=true", "micro.gateway.services=*", "micro.gateway.path=/rpc/v1/",
					"micro.gateway.max-request-size=64KB", "micro.gateway.timeout=3s", "micro.gateway.max-timeout=10s",
					"micro.gateway.forward-headers=Authorization,X-Tenant")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MicroGatewayHandler.class).options()).isEqualTo(new GatewayOptions("/rpc/v1",
						List.of("*"), 64 * 1024, Duration.ofSeconds(3), Duration.ofSeconds(10),
						List.of("Authorization", "X-Tenant")));
				assertThat(handler(context.getBean(SimpleUrlHandlerMapping.class), "/rpc/v1/greeter/Greeter.Hello"))
					.isNotNull();
				assertThat(handler(context.getBean(SimpleUrlHandlerMapping.class), "/api/greeter/Greeter.Hello"))
					.isNull();
			});
	}

	@Test
	void whenTheGatewayIsEnabledWithoutServicesThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("micro.gateway.enabled=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("services: [] (expected: the names or patterns of the services the gateway "
						+ "may call, e.g. greeter or orders-*; * for every service)");
			assertThat(context).getFailure().hasMessageContaining("micro.gateway: services");
		});
	}

	@Test
	void whenThePathOrAForwardedHeaderIsInvalidThenStartupFails() {
		this.runner.withPropertyValues("micro.gateway.enabled=true", "micro.gateway.services=*", "micro.gateway.path=api")
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("micro.gateway: path: api (expected: /segment[/segment...], e.g. /api)"));
		this.runner
			.withPropertyValues("micro.gateway.enabled=true", "micro.gateway.services=*",
					"micro.gateway.forward-headers=Timeout")
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("micro.gateway: forwardHeaders: Timeout (expected: not a header the client sets"));
	}

	@Test
	void whenTheApplicationIsNotAServletWebApplicationThenThereIsNoGateway() {
		new ApplicationContextRunner().withConfiguration(TestAutoConfigurations.ALL)
			.withConfiguration(AutoConfigurations.of(MicroGatewayAutoConfiguration.class))
			.withPropertyValues("micro.server.enabled=false", "micro.gateway.enabled=true", "micro.gateway.services=*")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(MicroGatewayHandler.class);
			});
	}

	private static Object handler(SimpleUrlHandlerMapping mapping, String path) throws Exception {
		HandlerExecutionChain chain = mapping.getHandler(new MockHttpServletRequest("POST", path));
		return (chain != null) ? chain.getHandler() : null;
	}

}
