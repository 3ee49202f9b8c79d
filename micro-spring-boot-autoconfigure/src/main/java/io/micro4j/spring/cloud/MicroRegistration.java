package io.micro4j.spring.cloud;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.micro4j.registry.Service;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * An HTTP server of this application as the micro registry records it: one go-micro node of service
 * {@link #getServiceId()}, id {@code <service>-<uuid>}, address {@code host:port}, with go-micro's node metadata
 * keys {@code protocol=http}, {@code server=http} and {@code transport=http} (unless the given metadata sets them)
 * and {@code secure=true} when it serves TLS. {@link MicroServiceRegistry} adds {@code registry} when it registers it.
 */
public final class MicroRegistration implements Registration {

	/** The node metadata key and value that mark a node as an HTTP server. */
	public static final String PROTOCOL_METADATA_KEY = "protocol";

	/** The protocol of an HTTP server's node. */
	public static final String HTTP_PROTOCOL = "http";

	private final String serviceId;

	private final String instanceId;

	private final String version;

	private final String host;

	private final int port;

	private final boolean secure;

	private final Map<String, String> metadata;

	private MicroRegistration(Builder builder) {
		this.serviceId = builder.serviceId;
		this.instanceId = (builder.instanceId != null) ? builder.instanceId : builder.serviceId + "-" + UUID.randomUUID();
		this.version = builder.version;
		this.host = builder.host;
		this.port = builder.port;
		this.secure = builder.secure;
		Map<String, String> all = new LinkedHashMap<>(builder.metadata);
		all.putIfAbsent(PROTOCOL_METADATA_KEY, HTTP_PROTOCOL);
		all.putIfAbsent("server", HTTP_PROTOCOL);
		all.putIfAbsent("transport", HTTP_PROTOCOL);
		if (builder.secure) {
			all.put(MicroServiceInstance.SECURE_METADATA_KEY, "true");
		}
		this.metadata = Map.copyOf(all);
	}

	/**
	 * A registration of service {@code serviceId} served at {@code host:port}.
	 * @param host the host to advertise, an IPv6 literal with or without brackets
	 * @param port the port, 1 to 65535
	 */
	public static Builder builder(String serviceId, String host, int port) {
		return new Builder(serviceId, host, port);
	}

	@Override
	public String getServiceId() {
		return this.serviceId;
	}

	/** The node id, {@code <service>-<uuid>} unless given. */
	@Override
	public String getInstanceId() {
		return this.instanceId;
	}

	/** The service version registered ({@value Service#DEFAULT_VERSION} unless given). */
	public String getVersion() {
		return this.version;
	}

	/** The host, an IPv6 literal in brackets. */
	@Override
	public String getHost() {
		return this.host;
	}

	@Override
	public int getPort() {
		return this.port;
	}

	@Override
	public boolean isSecure() {
		return this.secure;
	}

	/** {@code http://host:port}, or {@code https://host:port} when secure. */
	@Override
	public URI getUri() {
		return URI.create((this.secure ? "https" : "http") + "://" + this.host + ":" + this.port);
	}

	/** The node metadata: the given entries plus go-micro's {@code protocol}, {@code server}, {@code transport}. */
	@Override
	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	/** The node address, {@code host:port}. */
	public String address() {
		return this.host + ":" + this.port;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof MicroRegistration that && this.instanceId.equals(that.instanceId)
				&& this.serviceId.equals(that.serviceId) && this.version.equals(that.version)
				&& address().equals(that.address()) && this.metadata.equals(that.metadata));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.instanceId, this.serviceId, this.version, address(), this.metadata);
	}

	@Override
	public String toString() {
		return "MicroRegistration[" + this.serviceId + " " + this.instanceId + " " + getUri() + " " + this.metadata
				+ "]";
	}

	/** Options of a {@link MicroRegistration}. */
	public static final class Builder {

		private final String serviceId;

		private final String host;

		private final int port;

		private @Nullable String instanceId;

		private String version = Service.DEFAULT_VERSION;

		private boolean secure;

		private Map<String, String> metadata = Map.of();

		private Builder(String serviceId, String host, int port) {
			Objects.requireNonNull(serviceId, "serviceId");
			Objects.requireNonNull(host, "host");
			if (serviceId.isBlank()) {
				throw new IllegalArgumentException("serviceId: \"" + serviceId + "\" (expected: a service name)");
			}
			if (host.isBlank()) {
				throw new IllegalArgumentException("host: \"" + host + "\" (expected: a host name or address)");
			}
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
			}
			this.serviceId = serviceId;
			this.host = (host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]" : host;
			this.port = port;
		}

		/** The node id; {@code <service>-<uuid>} by default. */
		public Builder instanceId(String instanceId) {
			this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
			return this;
		}

		/** The service version; {@value Service#DEFAULT_VERSION} by default. */
		public Builder version(String version) {
			this.version = Objects.requireNonNull(version, "version");
			return this;
		}

		/** Whether the server serves TLS: scheme {@code https}, metadata {@code secure=true}. */
		public Builder secure(boolean secure) {
			this.secure = secure;
			return this;
		}

		/** Node metadata added to go-micro's keys (which it may override). */
		public Builder metadata(Map<String, String> metadata) {
			this.metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
			return this;
		}

		public MicroRegistration build() {
			return new MicroRegistration(this);
		}

	}

}
