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

	/** {@link #stream(Request, CallOptions)} with the default options. */
	default ClientStream stream(Request request) {
		return stream(request, defaultCallOptions());
	}

	/**
	 * Opens a stream to {@code request}'s endpoint (go-micro's {@code Client.Stream}) on a node that carries streams
	 * (a gRPC node); the request's body is not sent, its metadata and content type are. Opening goes through the call
	 * pipeline (selection, wrappers, retries of a connection that could not be made, observation); the stream's
	 * observation and the node's in-flight count last until it ends.
	 * @throws io.micro4j.errors.MicroException when no node could be reached or none carries streams
	 */
	default ClientStream stream(Request request, CallOptions options) {
		throw new UnsupportedOperationException(getClass().getName() + " opens no streams");
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
