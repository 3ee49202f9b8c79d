package io.micro4j.spring.cloud;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.transport.http.internal.HostPort;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;

/**
 * One node of a micro service as Spring Cloud sees it.
 * <p>
 * The instance id is the node id, the service id the service name. Host and port come from the node address
 * ({@code 10.0.0.5:8080}, {@code [::1]:8080}); an IPv6 host keeps its brackets, as {@link URI#getHost()} gives it,
 * so that it can be put into a URI as it is. The instance is secure (scheme {@code https}) when the node metadata
 * holds {@value #SECURE_METADATA_KEY}{@code =true}, otherwise its scheme is {@code http}. The metadata is the node
 * metadata plus {@value #VERSION_METADATA_KEY}, the service version (which replaces a node entry of that name).
 */
public final class MicroServiceInstance implements ServiceInstance {

	/** The node metadata key that marks a node as serving TLS when its value is {@code true}. */
	public static final String SECURE_METADATA_KEY = "secure";

	/** The metadata key of the service version. */
	public static final String VERSION_METADATA_KEY = "version";

	private final String instanceId;

	private final String serviceId;

	private final String host;

	private final int port;

	private final boolean secure;

	private final URI uri;

	private final Map<String, String> metadata;

	private MicroServiceInstance(String instanceId, String serviceId, String host, int port, boolean secure,
			Map<String, String> metadata) {
		this.instanceId = instanceId;
		this.serviceId = serviceId;
		this.host = host;
		this.port = port;
		this.secure = secure;
		this.uri = URI.create((secure ? "https" : "http") + "://" + host + ":" + port);
		this.metadata = Map.copyOf(metadata);
	}

	/**
	 * The instance of {@code node}, one of the nodes of {@code service}.
	 * @throws IllegalArgumentException if the node address is not {@code host:port} with a host that fits in a URI
	 */
	public static MicroServiceInstance of(Service service, Node node) {
		Objects.requireNonNull(service, "service");
		Objects.requireNonNull(node, "node");
		HostPort address = HostPort.parse(node.address());
		if (address.host().isEmpty()) {
			throw new IllegalArgumentException(
					"address: \"" + node.address() + "\" (expected: a host, such as 10.0.0.5:8080 or [::1]:8080)");
		}
		String host = (address.host().indexOf(':') >= 0) ? "[" + address.host() + "]" : address.host();
		boolean secure = "true".equalsIgnoreCase(node.metadata().get(SECURE_METADATA_KEY));
		Map<String, String> metadata = new HashMap<>(node.metadata());
		metadata.put(VERSION_METADATA_KEY, service.version());
		return new MicroServiceInstance(node.id(), service.name(), host, address.port(), secure, metadata);
	}

	@Override
	public String getInstanceId() {
		return this.instanceId;
	}

	@Override
	public String getServiceId() {
		return this.serviceId;
	}

	/** The host of the node address; an IPv6 literal in brackets. */
	@Override
	public String getHost() {
		return this.host;
	}

	@Override
	public int getPort() {
		return this.port;
	}

	/** Whether the node metadata holds {@code secure=true}. */
	@Override
	public boolean isSecure() {
		return this.secure;
	}

	/** {@code http://host:port}, or {@code https://host:port} when secure. */
	@Override
	public URI getUri() {
		return this.uri;
	}

	/** {@code http}, or {@code https} when secure. */
	@Override
	public String getScheme() {
		return this.uri.getScheme();
	}

	/** The node metadata plus {@code version}; unmodifiable. */
	@Override
	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof MicroServiceInstance that && this.instanceId.equals(that.instanceId)
				&& this.serviceId.equals(that.serviceId) && this.uri.equals(that.uri)
				&& this.metadata.equals(that.metadata));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.instanceId, this.serviceId, this.uri, this.metadata);
	}

	@Override
	public String toString() {
		return "MicroServiceInstance[" + this.serviceId + " " + this.instanceId + " " + this.uri + " "
				+ this.metadata + "]";
	}

}
