package io.micro4j.spring.boot.autoconfigure.cloud;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
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

	/**
	 * Whether to register the web server's port in the micro registry, as a node with protocol=http, when
	 * spring-cloud-commons is on the classpath and spring.cloud.service-registry.auto-registration.enabled is not
	 * false.
	 */
	private boolean registerWeb = true;

	/**
	 * The service name of the web server's node; by default spring.application.name, and then the web server is
	 * not registered while this application runs a micro server of that name.
	 */
	private @Nullable String webServiceName;

	/**
	 * The host:port to advertise for the web server; by default server.address, else the first private IPv4
	 * address, with the web server's port.
	 */
	private @Nullable String webAdvertise;

	/**
	 * Metadata of the web server's node, added to go-micro's keys.
	 */
	private Map<String, String> webMetadata = new LinkedHashMap<>();

	private final LoadBalancer loadBalancer = new LoadBalancer();

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

	public boolean isRegisterWeb() {
		return this.registerWeb;
	}

	public void setRegisterWeb(boolean registerWeb) {
		this.registerWeb = registerWeb;
	}

	public @Nullable String getWebServiceName() {
		return this.webServiceName;
	}

	public void setWebServiceName(@Nullable String webServiceName) {
		this.webServiceName = webServiceName;
	}

	public @Nullable String getWebAdvertise() {
		return this.webAdvertise;
	}

	public void setWebAdvertise(@Nullable String webAdvertise) {
		this.webAdvertise = webAdvertise;
	}

	public Map<String, String> getWebMetadata() {
		return this.webMetadata;
	}

	public void setWebMetadata(Map<String, String> webMetadata) {
		this.webMetadata = webMetadata;
	}

	public LoadBalancer getLoadBalancer() {
		return this.loadBalancer;
	}

	/**
	 * Settings of the Spring Cloud LoadBalancer's instance lists ({@code micro.discovery.load-balancer.*}).
	 */
	public static class LoadBalancer {

		/**
		 * Whether Spring Cloud LoadBalancer reads instances straight from the watch-fed micro registry cache, kept
		 * to the given protocols, instead of through its own caching discovery-client chain.
		 */
		private boolean enabled = true;

		/**
		 * The protocol metadata values of the nodes a load-balanced HTTP client may choose; empty allows every node.
		 */
		private List<String> protocols = new ArrayList<>(List.of("http"));

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getProtocols() {
			return this.protocols;
		}

		public void setProtocols(List<String> protocols) {
			this.protocols = protocols;
		}

	}

}
