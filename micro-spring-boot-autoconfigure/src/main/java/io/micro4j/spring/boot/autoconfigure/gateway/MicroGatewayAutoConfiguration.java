package io.micro4j.spring.boot.autoconfigure.gateway;

import java.util.Map;

import io.micro4j.client.Client;
import io.micro4j.spring.boot.autoconfigure.client.MicroClientAutoConfiguration;
import io.micro4j.spring.client.CallOptionsResolver;
import io.micro4j.spring.gateway.GatewayCredentialsCallWrapper;
import io.micro4j.spring.gateway.GatewayOptions;
import io.micro4j.spring.gateway.MicroGatewayHandler;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * Auto-configuration of the HTTP API gateway in a servlet (Spring MVC) web application with
 * {@code micro.gateway.enabled=true}. Registers:
 * <ul>
 * <li>{@code microGatewayHandler}, a {@link MicroGatewayHandler} calling the services named by
 * {@code micro.gateway.services} (startup fails when the list is empty: the gateway exposes nothing by accident)
 * through the micro {@link Client}, with the call options of {@link CallOptionsResolver};</li>
 * <li>{@code microGatewayHandlerMapping}, a {@link SimpleUrlHandlerMapping} at order
 * {@value #HANDLER_MAPPING_ORDER} (ahead of the application's controllers) routing {@code micro.gateway.path}
 * ({@code /api}) and everything under it to the handler;</li>
 * <li>{@code microGatewayCredentialsCallWrapper}, a {@link GatewayCredentialsCallWrapper} joining the client's
 * wrappers, so an anonymous gateway caller never borrows the application's client token.</li>
 * </ul>
 * Reactive (WebFlux) applications get no gateway.
 */
@AutoConfiguration(after = MicroClientAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty("micro.gateway.enabled")
@EnableConfigurationProperties(MicroGatewayProperties.class)
public final class MicroGatewayAutoConfiguration {

	/** The order of the gateway's handler mapping: {@value}, ahead of request mappings (0). */
	public static final int HANDLER_MAPPING_ORDER = -1;

	@Bean
	@ConditionalOnMissingBean(MicroGatewayHandler.class)
	@ConditionalOnBean({ Client.class, CallOptionsResolver.class })
	MicroGatewayHandler microGatewayHandler(Client client, CallOptionsResolver callOptions,
			MicroGatewayProperties properties) {
		String path = properties.getPath().endsWith("/")
				? properties.getPath().substring(0, properties.getPath().length() - 1) : properties.getPath();
		GatewayOptions options;
		try {
			options = new GatewayOptions(path, properties.getServices(), properties.getMaxRequestSize().toBytes(),
					properties.getTimeout(), properties.getMaxTimeout(), properties.getForwardHeaders());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("micro.gateway: " + ex.getMessage(), ex);
		}
		return new MicroGatewayHandler(client, callOptions, options);
	}

	@Bean
	@ConditionalOnBean(MicroGatewayHandler.class)
	SimpleUrlHandlerMapping microGatewayHandlerMapping(MicroGatewayHandler handler) {
		String path = handler.options().path();
		SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(Map.of(path, handler, path + "/**", handler));
		mapping.setOrder(HANDLER_MAPPING_ORDER);
		return mapping;
	}

	@Bean
	@ConditionalOnMissingBean(GatewayCredentialsCallWrapper.class)
	GatewayCredentialsCallWrapper microGatewayCredentialsCallWrapper() {
		return new GatewayCredentialsCallWrapper();
	}

}
