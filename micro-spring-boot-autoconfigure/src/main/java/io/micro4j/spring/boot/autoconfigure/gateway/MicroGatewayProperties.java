package io.micro4j.spring.boot.autoconfigure.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The HTTP API gateway ({@code micro.gateway.*}): {@code POST <path>/{service}/{endpoint}} calls the endpoint
 * through the micro client. It calls only the services listed in {@link #getServices() services}.
 */
@ConfigurationProperties("micro.gateway")
public class MicroGatewayProperties {

	/**
	 * Whether POST requests under the gateway path are turned into calls of micro services (servlet web
	 * applications only).
	 */
	private boolean enabled;

	/**
	 * The path under which the gateway serves {service}/{endpoint}.
	 */
	private String path = "/api";

	/**
	 * The services the gateway may call, by name or by pattern where * stands for any characters; * alone exposes
	 * every service in the registry (go-micro's behaviour). Must not be empty when the gateway is enabled.
	 */
	private List<String> services = new ArrayList<>();

	/**
	 * The largest request body accepted; a larger one is answered with a 413 go-micro error.
	 */
	private DataSize maxRequestSize = DataSize.ofMegabytes(1);

	/**
	 * The deadline of a call without a Timeout header; the client's request timeout for the service
	 * (micro.client.request-timeout) when not set.
	 */
	private @Nullable Duration timeout;

	/**
	 * The longest deadline a Timeout header (whole seconds, as go-micro's gateway reads it) may ask for; longer
	 * ones are cut to this.
	 */
	private Duration maxTimeout = Duration.ofSeconds(60);

	/**
	 * The request headers passed to the service as call metadata.
	 */
	private List<String> forwardHeaders = new ArrayList<>(List.of("Authorization"));

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public List<String> getServices() {
		return this.services;
	}

	public void setServices(List<String> services) {
		this.services = services;
	}

	public DataSize getMaxRequestSize() {
		return this.maxRequestSize;
	}

	public void setMaxRequestSize(DataSize maxRequestSize) {
		this.maxRequestSize = maxRequestSize;
	}

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getMaxTimeout() {
		return this.maxTimeout;
	}

	public void setMaxTimeout(Duration maxTimeout) {
		this.maxTimeout = maxTimeout;
	}

	public List<String> getForwardHeaders() {
		return this.forwardHeaders;
	}

	public void setForwardHeaders(List<String> forwardHeaders) {
		this.forwardHeaders = forwardHeaders;
	}

}
