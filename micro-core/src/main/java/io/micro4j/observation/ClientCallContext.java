package io.micro4j.observation;

import java.util.Map;

import io.micro4j.client.Request;
import io.micro4j.client.Response;
import io.micrometer.observation.transport.RequestReplySenderContext;

/**
 * Observation context of one client call (kind CLIENT). The carrier is the mutable map of outgoing headers, so a
 * tracing handler injects {@code traceparent} there; it travels as {@code Traceparent}.
 */
public final class ClientCallContext extends RequestReplySenderContext<Map<String, String>, Response> {

	private final Request request;

	private int errorCode;

	public ClientCallContext(Request request, Map<String, String> headers) {
		super((carrier, key, value) -> carrier.put(key, value));
		this.request = request;
		setCarrier(headers);
		setRemoteServiceName(request.service());
	}

	public Request request() {
		return this.request;
	}

	/** The micro error code the call failed with, {@code 0} on success. */
	public int errorCode() {
		return this.errorCode;
	}

	public void setErrorCode(int errorCode) {
		this.errorCode = errorCode;
	}

}
