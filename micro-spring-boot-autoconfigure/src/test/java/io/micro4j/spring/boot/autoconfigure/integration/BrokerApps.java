package io.micro4j.spring.boot.autoconfigure.integration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.micro4j.test.tls.TestCertificates.Identity;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Applications that reach each other through a real broker server, configured by properties only (unlike
 * {@link MicroApps}, nothing is shared in memory), such as {@code MicroPubSubIntegrationTests}' listener and
 * publisher. {@link #close()} closes them, last started first.
 */
final class BrokerApps implements AutoCloseable {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	/** Starts {@code application} with {@code properties}, on a random mucp port. */
	ConfigurableApplicationContext start(Class<?> application, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("micro.server.address=127.0.0.1:0", "spring.main.register-shutdown-hook=false")
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	/**
	 * The properties of a PEM bundle named {@code name} trusting the CAs in {@code trust}, with {@code identity}'s
	 * certificate and key when not {@code null}, reloaded 100 ms after its files change.
	 */
	static List<String> bundle(String name, Path trust, Identity identity) {
		List<String> properties = new ArrayList<>(bundle(name, trust));
		properties.add("spring.ssl.bundle.pem." + name + ".keystore.certificate=" + file(identity.certificate()));
		properties.add("spring.ssl.bundle.pem." + name + ".keystore.private-key=" + file(identity.privateKey()));
		return properties;
	}

	/** The properties of a PEM bundle named {@code name} trusting the CAs in {@code trust}, without certificate. */
	static List<String> bundle(String name, Path trust) {
		return List.of("spring.ssl.bundle.pem." + name + ".truststore.certificate=" + file(trust),
				"spring.ssl.bundle.pem." + name + ".reload-on-update=true",
				"spring.ssl.bundle.watch.file.quiet-period=100ms");
	}

	/** {@code base}, then {@code bundle}, then {@code more}, as the arguments of {@link #start}. */
	static String[] properties(List<String> base, List<String> bundle, String... more) {
		List<String> all = new ArrayList<>(base);
		all.addAll(bundle);
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	/** Asserts that no message in {@code failure}'s cause chain contains {@code secret}. */
	static void assertNoMessageContains(Throwable failure, String secret) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			assertThat(String.valueOf(cause.getMessage())).doesNotContain(secret);
		}
	}

	static String file(Path path) {
		return "file:" + path.toAbsolutePath();
	}

	@Override
	public void close() {
		for (int i = this.contexts.size() - 1; i >= 0; i--) {
			this.contexts.get(i).close();
		}
		this.contexts.clear();
	}

}
