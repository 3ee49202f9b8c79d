package io.micro4j.server;

import java.lang.reflect.Type;
import java.time.Duration;

import io.micro4j.errors.FailureClassifier;
import io.micro4j.internal.CodedStream;
import io.micro4j.metadata.Metadata;
import org.jspecify.annotations.Nullable;

/** The {@link ServerStream} of one streaming call. */
final class DefaultServerStream implements ServerStream {

	private final CodedStream stream;

	private final Metadata metadata;

	private final String endpoint;

	DefaultServerStream(CodedStream stream, Metadata metadata, String endpoint) {
		this.stream = stream;
		this.metadata = metadata;
		this.endpoint = endpoint;
	}

	static CodedStream coded(io.micro4j.transport.TransportStream transport, io.micro4j.codec.Codec codec,
			io.micro4j.metadata.@Nullable Deadline deadline) {
		return new CodedStream(transport, codec, deadline, DEFAULT_WAIT, FailureClassifier.SERVER_ID, 400);
	}

	@Override
	public <T> @Nullable T receive(Class<T> type) {
		return this.stream.receive(type);
	}

	@Override
	public @Nullable Object receive(Type type) {
		return this.stream.receive(type, this.stream.waitBound());
	}

	@Override
	public <T> @Nullable T receive(Class<T> type, Duration timeout) {
		return this.stream.receive(type, timeout);
	}

	@Override
	public void send(Object message) {
		this.stream.send(message);
	}

	@Override
	public Metadata metadata() {
		return this.metadata;
	}

	@Override
	public String endpoint() {
		return this.endpoint;
	}

	@Override
	public String toString() {
		return "ServerStream[" + this.endpoint + "]";
	}

}
