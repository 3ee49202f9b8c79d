package io.micro4j.client;

import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;

import io.micro4j.metadata.Metadata;

/**
 * The RPC client: go-micro's {@code client.Client}. Discovers nodes through the selector, encodes the request with
 * the codec of its content type, sends it over the transport, retries per the {@link CallOptions} and decodes the
 * answer. Errors surface as {@link io.micro4j.errors.MicroException}: the server's error as sent, 408 when the
 * deadline passed, 500 for a missing service or no available node.
 */
public interface Client extends AutoCloseable {

	/** Calls with the client's default options and blocks for the answer. */
	default <T> T call(Request request, Class<T> responseType) {
		return call(request, responseType, defaultCallOptions());
	}

	/**
	 * Calls and blocks for the answer, at most {@link CallOptions#requestTimeout()} (or less when the current
	 * {@link io.micro4j.metadata.CallContext} has an earlier deadline).
	 * @throws io.micro4j.errors.MicroException on failure
	 */
	<T> T call(Request request, Type responseType, CallOptions options);

	/**
	 * Calls without blocking. The future completes on the client's callback executor, never on an I/O thread.
	 */
	<T> CompletableFuture<T> callAsync(Request request, Type responseType, CallOptions options);

	/** {@link #callAsync(Request, Type, CallOptions)} with the default options. */
	default <T> CompletableFuture<T> callAsync(Request request, Class<T> responseType) {
		return callAsync(request, responseType, defaultCallOptions());
	}

	/**
	 * Publishes {@code payload} to {@code topic} through the broker: headers {@code Content-Type},
	 * {@code Micro-Topic}, {@code Micro-Id} (a UUID) plus the current call's propagated metadata and
	 * {@code metadata}; the payload encoded with the default content type's codec.
	 * @throws io.micro4j.broker.BrokerException if the broker refuses the message
	 */
	void publish(String topic, Object payload, Metadata metadata);

	/** The options used when a call passes none. */
	CallOptions defaultCallOptions();

	@Override
	void close();

}
