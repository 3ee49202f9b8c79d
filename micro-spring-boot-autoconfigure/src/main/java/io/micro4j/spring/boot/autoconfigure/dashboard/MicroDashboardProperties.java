package io.micro4j.spring.boot.autoconfigure.dashboard;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the web dashboard ({@code micro.dashboard.*}).
 */
@ConfigurationProperties("micro.dashboard")
public class MicroDashboardProperties {

	/**
	 * Whether to serve the web dashboard on the application's web port. It lists the registry and can call any
	 * endpoint and publish to any topic, so it is off by default and sits behind the application's own security.
	 */
	private boolean enabled;

	/**
	 * The path the dashboard is served under (its page at path + "/", its JSON and event stream under path +
	 * "/api").
	 */
	private String path = "/micro";

	/**
	 * The longest a call from the dashboard may take, retries included; a call asking for more gets this.
	 */
	private Duration callTimeout = Duration.ofSeconds(10);

	/**
	 * The largest body the call and publish endpoints accept; larger ones are refused with 413.
	 */
	private DataSize maxRequestSize = DataSize.ofKilobytes(64);

	/**
	 * How many live-update streams (browser tabs) may be open at once; one more is refused with 503.
	 */
	private int maxClients = 16;

	/**
	 * How often an idle live-update stream gets a comment line, so proxies keep it open and closed tabs are noticed.
	 */
	private Duration heartbeatInterval = Duration.ofSeconds(15);

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

	public Duration getCallTimeout() {
		return this.callTimeout;
	}

	public void setCallTimeout(Duration callTimeout) {
		this.callTimeout = callTimeout;
	}

	public DataSize getMaxRequestSize() {
		return this.maxRequestSize;
	}

	public void setMaxRequestSize(DataSize maxRequestSize) {
		this.maxRequestSize = maxRequestSize;
	}

	public int getMaxClients() {
		return this.maxClients;
	}

	public void setMaxClients(int maxClients) {
		this.maxClients = maxClients;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

}
