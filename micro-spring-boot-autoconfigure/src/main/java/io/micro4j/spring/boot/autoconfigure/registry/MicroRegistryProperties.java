package io.micro4j.spring.boot.autoconfigure.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

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

}
