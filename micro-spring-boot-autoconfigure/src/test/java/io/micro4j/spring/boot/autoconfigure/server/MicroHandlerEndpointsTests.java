package io.micro4j.spring.boot.autoconfigure.server;

import io.micro4j.client.Client;
import io.micro4j.client.Request;
import io.micro4j.errors.MicroException;
import io.micro4j.registry.Endpoint;
import io.micro4j.server.NotAnEndpoint;
import io.micro4j.server.Server;
import io.micro4j.spring.annotation.MicroHandler;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanNameAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code @MicroHandler} bean that is also a full Spring bean (lifecycle callbacks, {@code Aware} setters, an event
 * listener, a setter, a getter) exposes its request methods and nothing else.
 */
class MicroHandlerEndpointsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TestAutoConfigurations.ALL)
		.withPropertyValues("spring.application.name=greeter", "micro.server.address=127.0.0.1:0");

	@Test
	void whenAHandlerBeanIsAlsoALifecycleBeanThenOnlyItsRequestMethodsAreEndpoints() {
		this.runner.withUserConfiguration(Handlers.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Server.class).service().endpoints()).extracting(Endpoint::name)
				.containsExactly("Greeter.Hello");
			Client client = context.getBean(Client.class);
			assertThat(client.call(Request.of("greeter", "Greeter.Hello", new Ask("John")), String.class))
				.isEqualTo("Hello John");
			for (String endpoint : new String[] { "Greeter.Destroy", "Greeter.AfterPropertiesSet",
					"Greeter.SetBeanName", "Greeter.SetApplicationContext", "Greeter.OnApplicationEvent",
					"Greeter.SetPrefix", "Greeter.GetPrefix", "Greeter.Reset" }) {
				assertThatThrownBy(() -> client.call(Request.of("greeter", endpoint, new Ask("x")), String.class))
					.isInstanceOfSatisfying(MicroException.class, (ex) -> assertThat(ex.code()).isEqualTo(404));
			}
			assertThat(context.getBean(Greeter.class).destroyed).isFalse();
		});
	}

	public record Ask(String name) {
	}

	@MicroHandler("Greeter")
	public static class Greeter implements InitializingBean, DisposableBean, BeanNameAware, ApplicationContextAware,
			ApplicationListener<ContextRefreshedEvent> {

		private String prefix = "Hello ";

		volatile boolean destroyed;

		public String hello(Ask ask) {
			return this.prefix + ask.name();
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

		public String getPrefix() {
			return this.prefix;
		}

		@NotAnEndpoint
		public String reset(Ask ask) {
			this.prefix = "Hello ";
			return this.prefix;
		}

		@Override
		public void afterPropertiesSet() {
		}

		@Override
		public void destroy() {
			this.destroyed = true;
		}

		@Override
		public void setBeanName(String name) {
		}

		@Override
		public void setApplicationContext(ApplicationContext applicationContext) {
		}

		@Override
		public void onApplicationEvent(ContextRefreshedEvent event) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

	}

}
