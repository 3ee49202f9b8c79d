package io.micro4j.spring.boot.autoconfigure.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.micro4j.registry.consul.ConsulRegistry;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micro4j.test.tls.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code micro.registry.etcd.ssl.bundle} and {@code micro.registry.consul.ssl.bundle} against the deprecated
 * {@code tls.*} properties; the registries connect lazily, so no server is needed here (the integration tests
 * {@code EtcdTlsAuthIntegrationTests} and {@code ConsulTlsIntegrationTests} connect to real ones).
 */
@ExtendWith(OutputCaptureExtension.class)
class RegistryTlsConfigurationTests {

	private static final TestCertificates certificates = TestCertificates.shared();

	private final ApplicationContextRunner runner = TestAutoConfigurations.clientOnly()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
		.withPropertyValues(
				"spring.ssl.bundle.pem.registry.truststore.certificate=" + file(certificates.ca().certificate()),
				"spring.ssl.bundle.pem.registry.keystore.certificate=" + file(certificates.client().certificate()),
				"spring.ssl.bundle.pem.registry.keystore.private-key=" + file(certificates.client().privateKey()));

	private static String file(Path path) {
		return "file:" + path.toAbsolutePath();
	}

	@Test
	void whenAnEtcdBundleIsNamedThenEndpointsWithoutASchemeUseHttps(CapturedOutput output) {
		this.runner
			.withPropertyValues("micro.registry.type=etcd", "micro.registry.address=127.0.0.1:23790",
					"micro.registry.etcd.ssl.bundle=registry")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(EtcdRegistry.class).endpoints()).isEqualTo("https://127.0.0.1:23790");
			});
		assertThat(output).doesNotContain("deprecated");
	}

	@Test
	void whenAConsulBundleIsNamedThenTheAgentIsCalledOverHttps() {
		this.runner
			.withPropertyValues("micro.registry.type=consul", "micro.registry.address=127.0.0.1:8501",
					"micro.registry.consul.ssl.bundle=registry")
			.run((context) -> assertThat(context.getBean(ConsulRegistry.class).address())
				.hasToString("https://127.0.0.1:8501/"));
	}

	@Test
	void whenAnEtcdBundleAndTheDeprecatedFilesAreBothSetThenStartupFailsNamingBoth() {
		this.runner
			.withPropertyValues("micro.registry.type=etcd", "micro.registry.etcd.ssl.bundle=registry",
					"micro.registry.etcd.tls.ca-file=" + certificates.ca().certificate(),
					"micro.registry.etcd.tls.key-file=" + certificates.client().privateKey())
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("micro.registry.etcd.ssl.bundle")
				.hasMessageContaining("the deprecated micro.registry.etcd.tls.ca-file, "
						+ "micro.registry.etcd.tls.key-file are both set"));
	}

	@Test
	void whenAConsulBundleAndTheDeprecatedCaFileAreBothSetThenStartupFailsNamingBoth() {
		this.runner
			.withPropertyValues("micro.registry.type=consul", "micro.registry.consul.ssl.bundle=registry",
					"micro.registry.consul.tls.ca-file=" + certificates.ca().certificate())
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("micro.registry.consul.ssl.bundle")
				.hasMessageContaining("the deprecated micro.registry.consul.tls.ca-file are both set"));
	}

	@Test
	void whenTheNamedBundleDoesNotExistThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("micro.registry.type=etcd", "micro.registry.etcd.ssl.bundle=nope")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("micro.registry.etcd.ssl.bundle")
				.hasMessageContaining("no SSL bundle of that name"));
	}

	@Test
	void whenOnlyTheDeprecatedConsulPropertiesAreSetThenTheyWorkAndOneWarningNamesTheBundleProperty(
			CapturedOutput output) {
		this.runner
			.withPropertyValues("micro.registry.type=consul", "micro.registry.address=127.0.0.1:8501",
					"micro.registry.consul.tls.enabled=true",
					"micro.registry.consul.tls.ca-file=" + certificates.ca().certificate())
			.run((context) -> assertThat(context.getBean(ConsulRegistry.class).address())
				.hasToString("https://127.0.0.1:8501/"));
		assertThat(output.getOut().lines().filter((line) -> line.contains("deprecated")))
			.singleElement()
			.asString()
			.contains("WARN")
			.contains("micro.registry.consul.tls.enabled, micro.registry.consul.tls.ca-file are deprecated and will "
					+ "be removed: name a Spring Boot SSL bundle in micro.registry.consul.ssl.bundle instead");
	}

	@Test
	void theGeneratedMetadataMarksTheOldTlsPropertiesDeprecatedWithTheBundleAsReplacement() throws Exception {
		JsonNode metadata = JsonMapper.builder()
			.build()
			.readTree(Files.readString(Path.of("target/classes/META-INF/spring-configuration-metadata.json")));
		Map<String, JsonNode> properties = new HashMap<>();
		metadata.get("properties").forEach((property) -> properties.put(property.get("name").asString(), property));
		Map<String, String> replacements = Map.of("micro.registry.etcd.tls.ca-file", "micro.registry.etcd.ssl.bundle",
				"micro.registry.etcd.tls.cert-file", "micro.registry.etcd.ssl.bundle",
				"micro.registry.etcd.tls.key-file", "micro.registry.etcd.ssl.bundle",
				"micro.registry.consul.tls.enabled", "micro.registry.consul.ssl.bundle",
				"micro.registry.consul.tls.ca-file", "micro.registry.consul.ssl.bundle");
		replacements.forEach((old, replacement) -> {
			assertThat(properties).containsKey(old);
			assertThat(properties.get(old).path("deprecated").asBoolean()).as(old).isTrue();
			assertThat(properties.get(old).path("deprecation").path("replacement").asString()).as(old)
				.isEqualTo(replacement);
			assertThat(properties).containsKey(replacement);
			assertThat(properties.get(replacement).has("deprecated")).isFalse();
		});
	}

}
