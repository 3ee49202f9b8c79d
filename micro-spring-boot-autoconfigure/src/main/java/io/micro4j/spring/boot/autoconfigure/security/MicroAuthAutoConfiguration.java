package io.micro4j.spring.boot.autoconfigure.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import io.micro4j.security.AccessRule;
import io.micro4j.security.AccessRules;
import io.micro4j.security.AuthHandlerWrapper;
import io.micro4j.security.AuthSubscriberWrapper;
import io.micro4j.security.Authenticator;
import io.micro4j.security.BearerTokenCallWrapper;
import io.micro4j.security.BearerTokenPublishWrapper;
import io.micro4j.security.MicroJwtDecoders;
import io.micro4j.security.TokenSupplier;
import io.micro4j.security.TokenSuppliers;
import io.micro4j.spring.boot.autoconfigure.client.MicroClientAutoConfiguration;
import io.micro4j.spring.boot.autoconfigure.server.MicroServerAutoConfiguration;
import io.micro4j.spring.server.MicroAnnotationsPostProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of bearer-token authentication, with micro-security on the class path ({@code micro.auth.enabled=true}
 * without it fails startup naming the module, rather than serving unauthenticated). Registers:
 * <ul>
 * <li>with {@code micro.auth.enabled=true}: {@code microJwtDecoder}, a {@link JwtDecoder} over
 * {@code micro.auth.jwt.jwk-set-uri} or {@code .public-key-location}, checking {@code .issuer}, {@code .audiences}
 * and expiry with {@code .clock-skew} ({@link MicroJwtDecoders}); {@code microAuthenticator}, an
 * {@link Authenticator} applying {@code micro.auth.rules} and the {@code @RequiresScopes} annotations of the
 * {@code @MicroHandler} beans; {@code microAuthHandlerWrapper}, an {@link AuthHandlerWrapper} joining the server's
 * wrappers at order {@value AuthHandlerWrapper#ORDER}; and, unless {@code micro.auth.subscribers=false},
 * {@code microAuthSubscriberWrapper}, an {@link AuthSubscriberWrapper};</li>
 * <li>with {@code micro.client.auth.token}, {@code .propagate=true} or {@code .oauth2-client-registration-id}:
 * {@code microTokenSupplier}, the {@link TokenSupplier} of outgoing calls (the caller's token first when
 * propagating, then the OAuth2 client's, cached until {@code .refresh-before} its expiry, then the fixed token);
 * {@code microBearerTokenCallWrapper}, a {@link BearerTokenCallWrapper} at order
 * {@value BearerTokenCallWrapper#ORDER}; {@code microBearerTokenPublishWrapper}, a
 * {@link BearerTokenPublishWrapper}; and, with spring-security-oauth2-client and a
 * {@link ClientRegistrationRepository}, {@code microAuthorizedClientManager}, an
 * {@link AuthorizedClientServiceOAuth2AuthorizedClientManager} when the application has no
 * {@link OAuth2AuthorizedClientManager}.</li>
 * </ul>
 * With actuator, {@code microAuthTokenSanitizer} masks {@code micro.client.auth.token} in the {@code env} and
 * {@code configprops} endpoints even when they show values; the {@code micro} endpoint shows no token or key.
 */
@AutoConfiguration(before = { MicroServerAutoConfiguration.class, MicroClientAutoConfiguration.class },
		afterName = "org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration")
@EnableConfigurationProperties({ MicroAuthProperties.class, MicroClientAuthProperties.class })
public final class MicroAuthAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Authenticator.class, JwtDecoder.class })
	@ConditionalOnBooleanProperty("micro.auth.enabled")
	static class ServerAuthConfiguration {

		@Bean
		@ConditionalOnMissingBean(JwtDecoder.class)
		JwtDecoder microJwtDecoder(MicroAuthProperties properties, ResourceLoader resourceLoader) {
			MicroAuthProperties.Jwt jwt = properties.getJwt();
			MicroJwtDecoders.Builder builder = MicroJwtDecoders.builder()
				.issuer(jwt.getIssuer())
				.audiences(jwt.getAudiences())
				.clockSkew(jwt.getClockSkew());
			if (!jwt.getAlgorithms().isEmpty()) {
				try {
					builder.algorithms(new LinkedHashSet<>(jwt.getAlgorithms()));
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidConfigurationPropertyValueException("micro.auth.jwt.algorithms",
							jwt.getAlgorithms(), ex.getMessage());
				}
			}
			boolean hasKey = false;
			if (StringUtils.hasText(jwt.getJwkSetUri())) {
				builder.jwkSetUri(jwt.getJwkSetUri().trim());
				hasKey = true;
			}
			if (StringUtils.hasText(jwt.getPublicKeyLocation())) {
				builder.publicKey(readPublicKey(resourceLoader, jwt.getPublicKeyLocation().trim()));
				hasKey = true;
			}
			if (!hasKey) {
				throw new InvalidConfigurationPropertyValueException("micro.auth.jwt.jwk-set-uri", null,
						"micro.auth.enabled=true needs micro.auth.jwt.jwk-set-uri or micro.auth.jwt.public-key-location");
			}
			return builder.build();
		}

		private static String readPublicKey(ResourceLoader resourceLoader, String location) {
			Resource resource = resourceLoader.getResource(location);
			try (InputStream in = resource.getInputStream()) {
				String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
				io.micro4j.security.internal.PublicKeys.parse(text);
				return text;
			}
			catch (IOException | IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException("micro.auth.jwt.public-key-location", location,
						"cannot read a public key there: " + ex.getMessage());
			}
		}

		@Bean
		@ConditionalOnMissingBean(Authenticator.class)
		Authenticator microAuthenticator(JwtDecoder decoder, MicroAuthProperties properties,
				ObjectProvider<MicroAnnotationsPostProcessor> annotations) {
			AccessRules configured = AccessRules.of(rules(properties));
			return Authenticator.builder(decoder)
				.logWindow(properties.getLogWindow())
				.rules(() -> {
					AccessRules all = configured;
					MicroAnnotationsPostProcessor handlers = annotations.getIfAvailable();
					if (handlers != null) {
						for (MicroAnnotationsPostProcessor.HandlerRegistration handler : handlers.handlers()) {
							all = all.and(AccessRules.annotated(handler.name(), handler.bean().getClass()));
						}
					}
					return all;
				})
				.build();
		}

		static List<AccessRule> rules(MicroAuthProperties properties) {
			List<AccessRule> rules = new ArrayList<>();
			List<MicroAuthProperties.Rule> configured = properties.getRules();
			for (int i = 0; i < configured.size(); i++) {
				MicroAuthProperties.Rule rule = configured.get(i);
				String name = "micro.auth.rules[" + i + "]";
				if (!StringUtils.hasText(rule.getEndpoint())) {
					throw new InvalidConfigurationPropertyValueException(name + ".endpoint", rule.getEndpoint(),
							"expected: an endpoint such as Greeter.Hello, or a pattern such as Greeter.*");
				}
				if (rule.isPublic() && !rule.getScopes().isEmpty()) {
					throw new InvalidConfigurationPropertyValueException(name + ".public", true,
							"a public rule has no scopes (" + rule.getScopes() + ")");
				}
				rules.add(rule.isPublic() ? AccessRule.publicAccess(rule.getEndpoint())
						: AccessRule.scopes(rule.getEndpoint(), rule.getScopes()));
			}
			return rules;
		}

		@Bean
		@ConditionalOnMissingBean(AuthHandlerWrapper.class)
		AuthHandlerWrapper microAuthHandlerWrapper(Authenticator authenticator) {
			return new AuthHandlerWrapper(authenticator);
		}

		@Bean
		@ConditionalOnMissingBean(AuthSubscriberWrapper.class)
		@ConditionalOnBooleanProperty(name = "micro.auth.subscribers", matchIfMissing = true)
		AuthSubscriberWrapper microAuthSubscriberWrapper(Authenticator authenticator, Environment environment) {
			return new AuthSubscriberWrapper(authenticator, serviceName(environment));
		}

	}

	/** Auth asked for but micro-security absent: fail rather than serve every endpoint unauthenticated. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("io.micro4j.security.Authenticator")
	@ConditionalOnBooleanProperty("micro.auth.enabled")
	static class MissingModuleConfiguration {

		MissingModuleConfiguration() {
			throw new InvalidConfigurationPropertyValueException("micro.auth.enabled", true,
					"bearer-token authentication needs io.micro4j:micro-security on the class path");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Authenticator.class)
	@Conditional(ClientTokenCondition.class)
	static class ClientAuthConfiguration {

		@Bean
		@ConditionalOnMissingBean(TokenSupplier.class)
		TokenSupplier microTokenSupplier(MicroClientAuthProperties properties,
				ObjectProvider<OAuth2TokenSupplierFactory> oauth2, Environment environment) {
			List<TokenSupplier> suppliers = new ArrayList<>();
			if (properties.isPropagate()) {
				suppliers.add(TokenSuppliers.incoming());
			}
			String registration = properties.getOauth2ClientRegistrationId();
			if (StringUtils.hasText(registration)) {
				OAuth2TokenSupplierFactory factory = oauth2.getIfAvailable();
				if (factory == null) {
					throw new InvalidConfigurationPropertyValueException("micro.client.auth.oauth2-client-registration-id",
							registration, "needs spring-security-oauth2-client on the class path and a "
									+ "ClientRegistrationRepository bean (spring.security.oauth2.client.registration.*)");
				}
				suppliers.add(TokenSuppliers.cached(factory.create(registration.trim(), serviceName(environment)),
						properties.getRefreshBefore()));
			}
			if (StringUtils.hasText(properties.getToken())) {
				suppliers.add(TokenSuppliers.fixed(properties.getToken()));
			}
			return TokenSuppliers.firstOf(suppliers);
		}

		@Bean
		@ConditionalOnMissingBean(BearerTokenCallWrapper.class)
		BearerTokenCallWrapper microBearerTokenCallWrapper(TokenSupplier tokens) {
			return new BearerTokenCallWrapper(tokens);
		}

		@Bean
		@ConditionalOnMissingBean(BearerTokenPublishWrapper.class)
		BearerTokenPublishWrapper microBearerTokenPublishWrapper(TokenSupplier tokens) {
			return new BearerTokenPublishWrapper(tokens);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Authenticator.class, OAuth2AuthorizedClientManager.class })
	@ConditionalOnProperty("micro.client.auth.oauth2-client-registration-id")
	static class OAuth2ClientConfiguration {

		@Bean
		@ConditionalOnMissingBean(OAuth2AuthorizedClientManager.class)
		@ConditionalOnBean(ClientRegistrationRepository.class)
		OAuth2AuthorizedClientManager microAuthorizedClientManager(ClientRegistrationRepository registrations) {
			return new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations,
					new InMemoryOAuth2AuthorizedClientService(registrations));
		}

		@Bean
		@ConditionalOnBean(OAuth2AuthorizedClientManager.class)
		OAuth2TokenSupplierFactory microOAuth2TokenSupplierFactory(OAuth2AuthorizedClientManager manager) {
			return (registration, principal) -> new OAuth2ClientCredentialsTokenSupplier(manager, registration,
					principal);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
	static class ActuatorConfiguration {

		/** Masks the fixed client token in the env and configprops endpoints, whatever their show-values say. */
		@Bean
		org.springframework.boot.actuate.endpoint.SanitizingFunction microAuthTokenSanitizer() {
			return org.springframework.boot.actuate.endpoint.SanitizingFunction.sanitizeValue()
				.ifKeyEquals("token")
				.ifKeyEndsWith("micro.client.auth.token");
		}

	}

	/** Makes the OAuth2 token supplier without naming OAuth2 types where the class may be absent. */
	@FunctionalInterface
	interface OAuth2TokenSupplierFactory {

		TokenSupplier create(String registrationId, String principal);

	}

	static final class ClientTokenCondition extends AnyNestedCondition {

		ClientTokenCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty("micro.client.auth.token")
		static class FixedToken {

		}

		@ConditionalOnBooleanProperty("micro.client.auth.propagate")
		static class Propagate {

		}

		@ConditionalOnProperty("micro.client.auth.oauth2-client-registration-id")
		static class OAuth2 {

		}

	}

	private static String serviceName(Environment environment) {
		String name = environment.getProperty("micro.server.name");
		if (!StringUtils.hasText(name)) {
			name = environment.getProperty("spring.application.name");
		}
		return StringUtils.hasText(name) ? name.trim() : "micro";
	}

}
