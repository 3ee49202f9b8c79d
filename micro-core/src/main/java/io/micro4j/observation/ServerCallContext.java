package io.micro4j.observation;

import io.micro4j.metadata.Metadata;
import io.micrometer.observation.transport.RequestReplyReceiverContext;

/**
 * Observation context of one handled call (kind SERVER); the carrier is the incoming metadata.
 */
public final class ServerCallContext extends RequestReplyReceiverContext<Metadata, Object> {

	private final String service;

	private final String endpoint;

	private int errorCode;

	public ServerCallContext(String service, String endpoint, Metadata headers) {
		super((carrier, key) -> carrier.getOrNull(key));
		this.service = service;
		this.endpoint = endpoint;
		setCarrier(headers);
	}

	public String service() {
		return this.service;
	}

	public String endpoint() {
		return this.endpoint;
	}

	public int errorCode() {
		return this.errorCode;
	}

	public void setErrorCode(int errorCode) {
		this.errorCode = errorCode;
	}

}
