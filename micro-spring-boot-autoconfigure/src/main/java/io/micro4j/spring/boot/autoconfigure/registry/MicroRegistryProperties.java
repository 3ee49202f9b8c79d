package io.micro4j.spring.boot.autoconfigure.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * Settings of the service registry ({@code micro.registry.*}): which implementation, where it is, and how long the
 * client's cached view is trusted.
 */
@ConfigurationProperties("micro.registry")
public class MicroRegistryProperties {

	/**
	 * The registry implementation: "memory" (in-process, the default), or "etcd" / "consul" with their module on
	 * the classpath.
	 */
	private String type = "memory";

	/**
	 * The registry's addresses as host:port, comma separated; empty uses the implementation's default.
	 */
	private List<String> address = new ArrayList<>();

	/**
	 * How long the client's cached view of a service is trusted without a watch event before it is read again.
	 */
	private Duration cacheTtl = Duration.ofMinutes(1);

	/**
	 * How long the actuator's micro-registry health check waits for its first probe of the registry; later checks
	 * never wait.
	 */
	private Duration healthTimeout = Duration.ofSeconds(3);

	/**
	 * How often the actuator's micro-registry health check probes the registry with one small read in the
	 * background; health requests report the cached result and the connection state.
	 */
	private Duration healthProbeInterval = Duration.ofSeconds(10);

	/**
	 * Settings of the etcd registry.
	 */
	private final Etcd etcd = new Etcd();

	/**
	 * Settings of the Consul registry.
	 */
	private final Consul consul = new Consul();

	public String getType() {
		return this.type;
	}

	public void setType(String type) {
		this.type = type;
	}

	public List<String> getAddress() {
		return this.address;
	}

	public void setAddress(List<String> address) {
		this.address = address;
	}

	public Duration getCacheTtl() {
		return this.cacheTtl;
	}

	public void setCacheTtl(Duration cacheTtl) {
		this.cacheTtl = cacheTtl;
	}

	public Duration getHealthTimeout() {
		return this.healthTimeout;
	}

	public void setHealthTimeout(Duration healthTimeout) {
		this.healthTimeout = healthTimeout;
	}

	public Duration getHealthProbeInterval() {
		return this.healthProbeInterval;
	}

	public void setHealthProbeInterval(Duration healthProbeInterval) {
		this.healthProbeInterval = healthProbeInterval;
	}

	public Etcd getEtcd() {
		return this.etcd;
	}

	public Consul getConsul() {
		return this.consul;
	}

	/**
	 * Settings of the etcd registry ({@code micro.registry.etcd.*}); the endpoints are {@code micro.registry.address}.
	 */
	public static class Etcd {

		/**
		 * The bound of every call to etcd, connecting included; a call that takes longer fails, and the client keeps
		 * serving the nodes it knows.
		 */
		private Duration timeout = Duration.ofSeconds(5);

		/**
		 * The user to authenticate as when etcd has auth enabled; set together with the password.
		 */
		private @Nullable String username;

		/**
		 * The password of the etcd user.
		 */
		private @Nullable String password;

		/**
		 * The key prefix of the registry records; go-micro's is "/micro/registry/".
		 */
		private String prefix = "/micro/registry/";

		/**
		 * TLS of the etcd connection from a Spring Boot SSL bundle.
		 */
		private final RegistrySsl ssl = new RegistrySsl();

		/**
		 * TLS settings from PEM files (deprecated: use micro.registry.etcd.ssl.bundle); setting a CA file or a
		 * client certificate connects with TLS.
		 */
		private final Tls tls = new Tls();

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

		public RegistrySsl getSsl() {
			return this.ssl;
		}

		public Tls getTls() {
			return this.tls;
		}

	}

	/**
	 * TLS of a registry connection from a Spring Boot SSL bundle ({@code micro.registry.<type>.ssl.*}).
	 */
	public static class RegistrySsl {

		/**
		 * The name of the SSL bundle (spring.ssl.bundle.*) whose trust store holds the CAs of the registry's
		 * certificate and whose key store, if any, holds the client certificate (mTLS); set, the registry is called
		 * over TLS, with hostname verification.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * TLS settings of the etcd connection ({@code micro.registry.etcd.tls.*}).
	 */
	public static class Tls {

		/**
		 * The PEM file of the CA certificates that sign etcd's server certificate.
		 */
		private @Nullable String caFile;

		/**
		 * The PEM file of the client certificate chain, for etcd's client certificate authentication.
		 */
		private @Nullable String certFile;

		/**
		 * The PEM file of the client certificate's private key (PKCS#8).
		 */
		private @Nullable String keyFile;

		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "micro.registry.etcd.ssl.bundle",
				reason = "TLS settings move to Spring Boot SSL bundles (truststore.certificate of a PEM bundle)")
		public @Nullable String getCaFile() {
			return this.caFile;
		}

		public void setCaFile(@Nullable String caFile) {
			this.caFile = caFile;
		}

		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "micro.registry.etcd.ssl.bundle",
				reason = "TLS settings move to Spring Boot SSL bundles (keystore.certificate of a PEM bundle)")
		public @Nullable String getCertFile() {
			return this.certFile;
		}

		public void setCertFile(@Nullable String certFile) {
			this.certFile = certFile;
		}

		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "micro.registry.etcd.ssl.bundle",
				reason = "TLS settings move to Spring Boot SSL bundles (keystore.private-key of a PEM bundle)")
		public @Nullable String getKeyFile() {
			return this.keyFile;
		}

		public void setKeyFile(@Nullable String keyFile) {
			this.keyFile = keyFile;
		}

	}

	/**
	 * Settings of the Consul registry ({@code micro.registry.consul.*}); the agent is {@code micro.registry.address}.
	 */
	public static class Consul {

		/**
		 * The ACL token, sent in the X-Consul-Token header of every call.
		 */
		private @Nullable String token;

		/**
		 * The bound of every call to the agent, connecting included; blocking queries get it on top of their wait.
		 */
		private Duration timeout = Duration.ofSeconds(5);

		/**
		 * The wait of each blocking query of a watch (at most 10 minutes).
		 */
		private Duration wait = Duration.ofMinutes(5);

		/**
		 * How often each registered node checks that the agent still holds it, registering again when not.
		 */
		private Duration heartbeat = Duration.ofSeconds(5);

		/**
		 * How long a watch holds deletions back after Consul was unreachable or restarted, so owners can register
		 * again first.
		 */
		private Duration recoveryGrace = Duration.ofSeconds(10);

		/**
		 * TLS of the agent connection from a Spring Boot SSL bundle.
		 */
		private final RegistrySsl ssl = new RegistrySsl();

		/**
		 * TLS settings of the agent connection (deprecated: use micro.registry.consul.ssl.bundle).
		 */
		private final ConsulTls tls = new ConsulTls();

		public @Nullable String getToken() {
			return this.token;
		}

		public void setToken(@Nullable String token) {
			this.token = token;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getWait() {
			return this.wait;
		}

		public void setWait(Duration wait) {
			this.wait = wait;
		}

		public Duration getHeartbeat() {
			return this.heartbeat;
		}

		public void setHeartbeat(Duration heartbeat) {
			this.heartbeat = heartbeat;
		}

		public Duration getRecoveryGrace() {
			return this.recoveryGrace;
		}

		public void setRecoveryGrace(Duration recoveryGrace) {
			this.recoveryGrace = recoveryGrace;
		}

		public RegistrySsl getSsl() {
			return this.ssl;
		}

		public ConsulTls getTls() {
			return this.tls;
		}

	}

	/**
	 * TLS settings of the Consul connection ({@code micro.registry.consul.tls.*}).
	 */
	public static class ConsulTls {

		/**
		 * Whether to call the agent over HTTPS (implied by an https:// address or a CA file).
		 */
		private boolean enabled;

		/**
		 * The PEM file of the CA certificates that sign the agent's certificate; the JDK's trust store when unset.
		 */
		private @Nullable String caFile;

		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "micro.registry.consul.ssl.bundle",
				reason = "TLS settings move to Spring Boot SSL bundles; an https:// address also turns HTTPS on")
		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "micro.registry.consul.ssl.bundle",
				reason = "TLS settings move to Spring Boot SSL bundles (truststore.certificate of a PEM bundle)")
		public @Nullable String getCaFile() {
			return this.caFile;
		}

		public void setCaFile(@Nullable String caFile) {
			this.caFile = caFile;
		}

	}

}
