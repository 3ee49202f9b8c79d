package io.micro4j.spring.boot.autoconfigure.dashboard;

import java.util.Locale;
import java.util.Map;

import io.micro4j.client.Client;
import io.micro4j.registry.Registry;
import io.micro4j.runtime.MicroRuntime;
import io.micro4j.spring.boot.autoconfigure.client.MicroClientAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.registry.MicroRegistryAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.runtime.MicroRuntimeAutoConfiguration;
import io.micro4j.spring.client.CallOptionsResolver;
import io.micro4j.spring.dashboard.DashboardCalls;
import io.micro4j.spring.dashboard.DashboardController;
import io.micro4j.spring.dashboard.DashboardEvents;
import io.micro4j.spring.dashboard.DashboardSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of the web dashboard, in Spring MVC (servlet) applications with
 * {@code micro.dashboard.enabled=true} (off by default). Registers:
 * <ul>
 * <li>{@code microDashboardCalls}, the {@link DashboardCalls} of the call and publish panels: the micro
 * {@link Client} with the options of {@code micro.client.*} per service, the request timeout cut to
 * {@code micro.dashboard.call-timeout};</li>
 * <li>{@code microDashboardEvents}, the {@link DashboardEvents} of the live updates: one registry watch shared by at
 * most {@code micro.dashboard.max-clients} streams, written on the {@link MicroRuntime}'s callback threads, a
 * heartbeat every {@code micro.dashboard.heartbeat-interval};</li>
 * <li>{@code microDashboardController}, the {@link DashboardController} serving the page and its JSON under
 * {@code micro.dashboard.path}.</li>
 * </ul>
 * The endpoints are ordinary Spring MVC handlers: Spring Security's filter chain, when the application has one,
 * applies to them like to its own.
 */
@AutoConfiguration(after = { MicroRuntimeAutoConfiguration.class, MicroRegistryAutoConfiguration.class,
		MicroClientAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SseEmitter.class)
@ConditionalOnBooleanProperty("micro.dashboard.enabled")
@ConditionalOnBean({ Registry.class, Client.class, MicroRuntime.class })
@EnableConfigurationProperties(MicroDashboardProperties.class)
public final class MicroDashboardAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(DashboardSettings.class)
	DashboardSettings microDashboardSettings(MicroDashboardProperties properties) {
		try {
			return new DashboardSettings(properties.getPath(), properties.getCallTimeout(),
					properties.getMaxRequestSize().toBytes(), properties.getMaxClients(),
					properties.getHeartbeatInterval());
		}
		catch (IllegalArgumentException ex) {
			// the message starts with the field's name: "maxClients: 0 (expected: > 0)"
			String message = String.valueOf(ex.getMessage());
			String field = message.substring(0, Math.max(0, message.indexOf(':')));
			Map<String, Object> values = Map.of("path", properties.getPath(), "callTimeout",
					properties.getCallTimeout(), "maxRequestSize", properties.getMaxRequestSize(), "maxClients",
					properties.getMaxClients(), "heartbeatInterval", properties.getHeartbeatInterval());
			throw new InvalidConfigurationPropertyValueException(
					"micro.dashboard." + field.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT),
					values.getOrDefault(field, ""), message);
		}
	}

	@Bean
	@ConditionalOnMissingBean(DashboardCalls.class)
	DashboardCalls microDashboardCalls(Client client, DashboardSettings settings,
			ObjectProvider<CallOptionsResolver> resolver, ObjectProvider<JsonMapper> mapper) {
		CallOptionsResolver options = resolver.getIfUnique(() -> (service) -> client.defaultCallOptions());
		return new DashboardCalls(client, options::callOptions, mapper.getIfUnique(() -> JsonMapper.builder().build()),
				settings.callTimeout());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(DashboardEvents.class)
	DashboardEvents microDashboardEvents(Registry registry, MicroRuntime runtime, DashboardSettings settings) {
		return new DashboardEvents(registry, runtime.timer(), runtime.callbackExecutor(), settings.maxClients(),
				settings.heartbeatInterval());
	}

	@Bean
	@ConditionalOnMissingBean(DashboardController.class)
	DashboardController microDashboardController(Registry registry, DashboardCalls calls, DashboardEvents events,
			DashboardSettings settings) {
		return new DashboardController(registry, calls, events, settings);
	}

}
