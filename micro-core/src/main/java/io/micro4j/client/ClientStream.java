package io.micro4j.client;

import java.lang.reflect.Type;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The client side of a stream (go-micro's {@code client.Stream}), opened by {@link Client#stream}: send any number of
 * messages, receive any number, close the sending side, close the stream. Messages are encoded with the request's
 * content type (the client's default when it names none).
 * <p>
 * {@link #send} blocks while the server cannot take more (its flow-control window is full) and {@link #receive} asks
 * for the next message only when called, so neither side buffers without bound. Every wait is bounded: by the
 * deadline of the {@link io.micro4j.metadata.CallContext} the stream was opened in when there is one (it then bounds
 * the stream's whole life and travels to the server), else by the call options' request timeout per wait.
 * <p>
 * A stream has one sending and one receiving thread at most; it is not retried once open. Close it (try-with-resources)
 * when done: that cancels it if it has not ended.
 */
public interface ClientStream extends AutoCloseable {

	/** Sends one message; blocks while the server cannot take more. */
	void send(Object message);

	/**
	 * The next message decoded as {@code type}; {@code null} once the server finished sending (go-micro's
	 * {@code io.EOF}).
	 * @throws io.micro4j.errors.MicroException the server's error when the stream ended with one, 408 when no message
	 * came in time
	 */
	<T> @Nullable T receive(Class<T> type);

	/** {@link #receive(Class)} for a generic type. */
	@Nullable Object receive(Type type);

	/** {@link #receive(Class)} waiting at most {@code timeout} (and never beyond the stream's deadline). */
	<T> @Nullable T receive(Class<T> type, Duration timeout);

	/** No more messages from this side (go-micro's {@code CloseSend}); the server reads the end of the stream. */
	void closeSend();

	/** Ends the stream: cancels it unless it already ended. Idempotent. */
	@Override
	void close();

	/** The request that opened the stream. */
	Request request();

}
