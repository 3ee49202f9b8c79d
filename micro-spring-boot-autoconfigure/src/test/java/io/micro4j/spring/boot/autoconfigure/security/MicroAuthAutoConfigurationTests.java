package io.micro4j.spring.boot.autoconfigure.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;

import io.micro4j.client.CallWrapper;
import io.micro4j.security.AccessRule;
import io.micro4j.security.AuthHandlerWrapper;
import io.micro4j.security.AuthSubscriberWrapper;
import io.micro4j.security.Authenticator;
import io.micro4j.security.BearerTokenCallWrapper;
import io.micro4j.security.BearerTokenPublishWrapper;
import io.micro4j.security.RequiresScopes;
import io.micro4j.security.TokenSupplier;
import io.micro4j.server.HandlerWrapper;
import io.micro4j.spring.annotation.MicroHandler;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class MicroAuthAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TestAutoConfigurations.ALL)
		.withConfiguration(AutoConfigurations.of(MicroAuthAutoConfiguration.class))
		.withPropertyValues("micro.server.name=greeter", "micro.server.address=127.0.0.1:0");

	@MicroHandler
	static class Greeter {

		@RequiresScopes("greeter.hello")
		public String hello(String name) {
			return name;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class GreeterConfiguration {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

	}

	private static String publicKeyPem() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(256);
		return "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
	}

	@Test
	void whenAuthIsNotEnabledThenNoAuthBeansExist() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(AuthHandlerWrapper.class);
			assertThat(context).doesNotHaveBean(BearerTokenCallWrapper.class);
		});
	}

	@Test
	void whenAuthIsEnabledWithoutKeysThenStartupFailsWithHint() {
		this.runner.withPropertyValues("micro.auth.enabled=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("micro.auth.jwt.jwk-set-uri or micro.auth.jwt.public-key-location");
		});
	}

	@Test
	void whenAuthIsEnabledWithAPublicKeyThenTheWrappersJoinTheServerWithRulesFromPropertiesAndAnnotations(
			@TempDir Path dir) throws Exception {
		Path key = Files.writeString(dir.resolve("auth.pub"), publicKeyPem(), StandardCharsets.US_ASCII);
		this.runner.withUserConfiguration(GreeterConfiguration.class)
			.withPropertyValues("micro.auth.enabled=true", "micro.auth.jwt.public-key-location=file:" + key,
					"micro.auth.rules[0].endpoint=Greeter.*", "micro.auth.rules[0].public=true",
					"micro.auth.rules[1].endpoint=Admin.*", "micro.auth.rules[1].scopes=admin,ops")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(AuthHandlerWrapper.class).hasSingleBean(AuthSubscriberWrapper.class);
				assertThat(context.getBeanProvider(HandlerWrapper.class).orderedStream().findFirst())
					.containsInstanceOf(AuthHandlerWrapper.class);
				context.getBean(io.micro4j.spring.server.MicroAnnotationsPostProcessor.class);
				Authenticator authenticator = context.getBean(Authenticator.class);
				assertThat(authenticator.rules().ruleFor("Greeter.Hello").scopes()).containsExactly("greeter.hello");
				assertThat(authenticator.rules().ruleFor("Greeter.Other").publicAccess()).isTrue();
				assertThat(authenticator.rules().ruleFor("Admin.Drop"))
					.isEqualTo(AccessRule.scopes("Admin.*", "admin", "ops"));
			});
	}

	@Test
	void whenARuleIsPublicAndScopedThenStartupFails() throws Exception {
		this.runner
			.withPropertyValues("micro.auth.enabled=true", "micro.auth.jwt.jwk-set-uri=http://127.0.0.1:1/jwks",
					"micro.auth.rules[0].endpoint=Greeter.*", "micro.auth.rules[0].public=true",
					"micro.auth.rules[0].scopes=a")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("micro.auth.rules[0].public"));
	}

	@Test
	void whenPublicKeyLocationHoldsNoKeyThenStartupFailsWithoutQuotingIt(@TempDir Path dir) throws Exception {
		Path key = Files.writeString(dir.resolve("auth.pub"), "s3cr3t-not-a-key", StandardCharsets.US_ASCII);
		this.runner.withPropertyValues("micro.auth.enabled=true", "micro.auth.jwt.public-key-location=file:" + key)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("micro.auth.jwt.public-key-location")
				.hasMessageNotContaining("s3cr3t"));
	}

	@Test
	void whenAClientTokenIsSetThenTheClientAndPublisherCarryIt() {
		this.runner.withPropertyValues("micro.server.enabled=false", "micro.client.auth.token=abc")
			.run((context) -> {
				assertThat(context).hasSingleBean(BearerTokenCallWrapper.class)
					.hasSingleBean(BearerTokenPublishWrapper.class)
					.doesNotHaveBean(AuthHandlerWrapper.class);
				assertThat(context.getBean(TokenSupplier.class).token()).map((t) -> t.value()).contains("abc");
				assertThat(context.getBean(BearerTokenCallWrapper.class).getOrder())
					.isBetween(CallWrapper.OBSERVATION_ORDER, CallWrapper.CIRCUIT_BREAKER_ORDER);
			});
	}

	@Test
	void whenMicroSecurityIsAbsentThenNothingIsConfigured() {
		this.runner.withClassLoader(new FilteredClassLoader(Authenticator.class))
			.withPropertyValues("micro.client.auth.token=abc")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(AuthHandlerWrapper.class);
				assertThat(context).doesNotHaveBean(BearerTokenCallWrapper.class);
			});
	}

	@Test
	void whenAuthIsEnabledButMicroSecurityIsAbsentThenStartupFailsRatherThanServeUnauthenticated() {
		this.runner.withClassLoader(new FilteredClassLoader(Authenticator.class))
			.withPropertyValues("micro.auth.enabled=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("io.micro4j:micro-security"));
	}

}
