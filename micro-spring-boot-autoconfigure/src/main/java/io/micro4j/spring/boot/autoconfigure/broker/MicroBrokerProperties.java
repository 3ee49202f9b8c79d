package io.micro4j.spring.boot.autoconfigure.broker;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the message broker ({@code micro.broker.*}).
 */
@ConfigurationProperties("micro.broker")
public class MicroBrokerProperties {

	/**
	 * The broker implementation: "memory" (in-process, the default), or "nats" / "rabbitmq" with their module on
	 * the classpath.
	 */
	private String type = "memory";

	/**
	 * The broker's addresses, comma separated (e.g. nats://127.0.0.1:4222); empty uses the implementation's
	 * default.
	 */
	private List<String> address = new ArrayList<>();

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

}
