package io.micro4j.spring.boot.autoconfigure.selector;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of node selection ({@code micro.selector.*}): the load-balancing strategy and outlier ejection.
 */
@ConfigurationProperties("micro.selector")
public class MicroSelectorProperties {

	/**
	 * The load-balancing strategy: "random" (go-micro's default), "round-robin" or "least-request".
	 */
	private String strategy = "random";

	/**
	 * The first ejection period of a node that refused a connection; it doubles with each consecutive failure.
	 */
	private Duration ejectionBase = Duration.ofSeconds(1);

	/**
	 * The upper bound of a node's ejection period.
	 */
	private Duration ejectionMax = Duration.ofSeconds(30);

	public String getStrategy() {
		return this.strategy;
	}

	public void setStrategy(String strategy) {
		this.strategy = strategy;
	}

	public Duration getEjectionBase() {
		return this.ejectionBase;
	}

	public void setEjectionBase(Duration ejectionBase) {
		this.ejectionBase = ejectionBase;
	}

	public Duration getEjectionMax() {
		return this.ejectionMax;
	}

	public void setEjectionMax(Duration ejectionMax) {
		this.ejectionMax = ejectionMax;
	}

}
