package io.micro4j.spring.boot.autoconfigure.selector;

import java.time.Duration;

import io.micro4j.selector.DefaultSelector;

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
	 * The first ejection period of a failing node; it doubles with each ejection until the node succeeds again.
	 */
	private Duration ejectionBase = Duration.ofSeconds(1);

	/**
	 * The upper bound of a node's ejection period.
	 */
	private Duration ejectionMax = Duration.ofSeconds(30);

	/**
	 * Consecutive failures that never reached a node (refused connection...) that eject it; 0 never ejects for them.
	 */
	private int consecutiveNotProcessed = DefaultSelector.DEFAULT_CONSECUTIVE_NOT_PROCESSED;

	/**
	 * Consecutive timeouts that eject a node; 0 never ejects for them.
	 */
	private int consecutiveTimeouts = DefaultSelector.DEFAULT_CONSECUTIVE_TIMEOUTS;

	/**
	 * Consecutive 5xx answers that eject a node; 0 never ejects for them.
	 */
	private int consecutiveErrors = DefaultSelector.DEFAULT_CONSECUTIVE_ERRORS;

	/**
	 * The largest share of a service's nodes ejected at once, in percent; one node may always be ejected.
	 */
	private int maxEjectionPercent = DefaultSelector.DEFAULT_MAX_EJECTION_PERCENT;

	/**
	 * The most calls in flight to one node from this application; a node at the limit is passed over, 0 sets none.
	 */
	private int maxInFlightPerNode = DefaultSelector.DEFAULT_MAX_IN_FLIGHT_PER_NODE;

	/**
	 * Whether nodes are health-checked in the background (a TCP connect): new nodes before they get calls, and nodes
	 * that refused or reset a connection until they accept one again.
	 */
	private boolean probe = true;

	/**
	 * How long a health probe waits for a connection.
	 */
	private Duration probeTimeout = Duration.ofSeconds(1);

	/**
	 * The first wait before probing an unreachable node again; it doubles up to ejection-max.
	 */
	private Duration probeInterval = Duration.ofSeconds(1);

	public boolean isProbe() {
		return this.probe;
	}

	public void setProbe(boolean probe) {
		this.probe = probe;
	}

	public Duration getProbeTimeout() {
		return this.probeTimeout;
	}

	public void setProbeTimeout(Duration probeTimeout) {
		this.probeTimeout = probeTimeout;
	}

	public Duration getProbeInterval() {
		return this.probeInterval;
	}

	public void setProbeInterval(Duration probeInterval) {
		this.probeInterval = probeInterval;
	}

	public int getMaxInFlightPerNode() {
		return this.maxInFlightPerNode;
	}

	public void setMaxInFlightPerNode(int maxInFlightPerNode) {
		this.maxInFlightPerNode = maxInFlightPerNode;
	}

	public int getConsecutiveNotProcessed() {
		return this.consecutiveNotProcessed;
	}

	public void setConsecutiveNotProcessed(int consecutiveNotProcessed) {
		this.consecutiveNotProcessed = consecutiveNotProcessed;
	}

	public int getConsecutiveTimeouts() {
		return this.consecutiveTimeouts;
	}

	public void setConsecutiveTimeouts(int consecutiveTimeouts) {
		this.consecutiveTimeouts = consecutiveTimeouts;
	}

	public int getConsecutiveErrors() {
		return this.consecutiveErrors;
	}

	public void setConsecutiveErrors(int consecutiveErrors) {
		this.consecutiveErrors = consecutiveErrors;
	}

	public int getMaxEjectionPercent() {
		return this.maxEjectionPercent;
	}

	public void setMaxEjectionPercent(int maxEjectionPercent) {
		this.maxEjectionPercent = maxEjectionPercent;
	}

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
