package io.micro4j.spring.boot.autoconfigure.ssl;

import io.micro4j.spring.boot.autoconfigure.TestAutoConfigurations;
import io.micro4j.test.tls.TestCertificates;
import io.micro4j.transport.http.HttpTransportServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class SslBundleTlsTests {

	private final TestCertificates certificates = TestCertificates.shared();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(TestAutoConfigurations.ALL)
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
		.withPropertyValues("micro.server.name=greeter", "micro.server.address=127.0.0.1:0");

	@Test
	void whenNoServerBundleIsNamedThenTheTransportServerIsPlaintext() {
		this.runner.run((context) -> {
			HttpTransportServer server = context.getBean(HttpTransportServer.class);
			assertThat(server.isSecure()).isFalse();
			assertThat(server.nodeMetadata()).doesNotContainKey("secure");
		});
	}

	@Test
	void whenAServerBundleIsNamedThenTheTransportServerSpeaksTlsAndAdvertisesSecure() {
		this.runner
			.withPropertyValues(
					"spring.ssl.bundle.jks.server.keystore.location=file:" + this.certificates.server().keyStore(),
					"spring.ssl.bundle.jks.server.keystore.password=" + TestCertificates.PASSWORD,
					"spring.ssl.bundle.jks.server.keystore.type=PKCS12", "micro.server.ssl.bundle=server")
			.run((context) -> {
				HttpTransportServer server = context.getBean(HttpTransportServer.class);
				assertThat(server.isSecure()).isTrue();
				assertThat(server.nodeMetadata()).containsEntry("secure", "true");
			});
	}

	@Test
	void whenTheServerBundleDoesNotExistThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("micro.server.ssl.bundle=missing").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("micro.server.ssl.bundle")
				.hasMessageContaining("spring.ssl.bundle.pem.missing");
		});
	}

	@Test
	void whenTheServerBundleHasNoKeyStoreThenStartupFailsSayingACertificateIsNeeded() {
		this.runner
			.withPropertyValues("spring.ssl.bundle.pem.trust.truststore.certificate=file:"
					+ this.certificates.ca().certificate(), "micro.server.ssl.bundle=trust")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.hasMessageContaining("micro.server.ssl.bundle")
					.hasMessageContaining("a TLS server needs a certificate and its private key");
			});
	}

	@Test
	void whenTheClientBundleDoesNotExistThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("micro.server.enabled=false", "micro.client.ssl.bundle=missing")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure().rootCause().hasMessageContaining("micro.client.ssl.bundle");
			});
	}

}
