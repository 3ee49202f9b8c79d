package io.micro4j.spring.boot.autoconfigure.cloud;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the Spring Cloud discovery client over the micro registry ({@code micro.discovery.*}).
 */
@ConfigurationProperties("micro.discovery")
public class MicroDiscoveryProperties {

	/**
	 * Whether to expose the micro registry's services as a Spring Cloud DiscoveryClient when spring-cloud-commons
	 * is on the classpath.
	 */
	private boolean enabled = true;

	/**
	 * The order of the micro discovery client among the application's discovery clients; lower comes first.
	 */
	private int order = 0;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getOrder() {
		return this.order;
	}

	public void setOrder(int order) {
		this.order = order;
	}

}
