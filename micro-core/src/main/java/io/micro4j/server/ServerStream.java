package io.micro4j.server;

import java.lang.reflect.Type;
import java.time.Duration;

import io.micro4j.metadata.Metadata;
import org.jspecify.annotations.Nullable;

/**
 * The server side of a streaming call (go-micro's {@code server.Stream}): a handler method taking a
 * {@code ServerStream} parameter is a streaming endpoint, registered with endpoint metadata {@code stream=true}.
 * <ul>
 * <li>{@code void chat(ServerStream stream)}: the client sends any number of messages, the handler answers any number
 * (bidirectional and client streaming);</li>
 * <li>{@code void watch(Request request, ServerStream stream)}: the first message is decoded into the request, the
 * handler sends any number of answers (server streaming).</li>
 * </ul>
 * A {@link Metadata} parameter may be added as for unary endpoints. The stream ends when the method returns (normally,
 * or with its exception as the go-micro error the client receives). Streams are served on gRPC nodes
 * ({@code micro.server.protocol=grpc}).
 * <p>
 * Messages are encoded with the call's content type. {@link #send} blocks while the client's flow-control window is
 * full and {@link #receive} asks the client for the next message only when called: neither side buffers without bound.
 * Each wait is bounded by the caller's deadline, else by {@link #DEFAULT_WAIT}.
 */
public interface ServerStream {

	/** How long one {@link #send} or {@link #receive} waits when the caller set no deadline: 30 s. */
	Duration DEFAULT_WAIT = Duration.ofSeconds(30);

	/** The next message decoded as {@code type}; {@code null} once the client finished sending. */
	<T> @Nullable T receive(Class<T> type);

	/** The next message decoded as {@code type} (a generic type); {@code null} once the client finished sending. */
	@Nullable Object receive(Type type);

	/**
	 * The next message decoded as {@code type}, waiting at most {@code timeout}; {@code null} once the client
	 * finished sending.
	 * @throws io.micro4j.errors.MicroException 408 when no message came in time
	 */
	<T> @Nullable T receive(Class<T> type, Duration timeout);

	/**
	 * Sends one message to the client, encoded with the call's content type; blocks while the client cannot take
	 * more.
	 * @throws io.micro4j.errors.MicroException when the client went away or did not read in time (408)
	 */
	void send(Object message);

	/** The incoming metadata of the call (the client's headers plus {@code Local} and {@code Remote}). */
	Metadata metadata();

	/** The endpoint, e.g. {@code Greeter.Chat}. */
	String endpoint();

}
