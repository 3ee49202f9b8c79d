package io.micro4j.client;

import java.lang.reflect.Type;
import java.time.Duration;

import io.micro4j.internal.CodedStream;
import org.jspecify.annotations.Nullable;

/** The {@link ClientStream} of {@link DefaultClient}. */
final class DefaultClientStream implements ClientStream {

	private final CodedStream stream;

	private final Request request;

	DefaultClientStream(CodedStream stream, Request request) {
		this.stream = stream;
		this.request = request;
	}

	@Override
	public void send(Object message) {
		this.stream.send(message);
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
	public void closeSend() {
		this.stream.transport().closeSend();
	}

	@Override
	public void close() {
		this.stream.transport().cancel();
	}

	@Override
	public Request request() {
		return this.request;
	}

	@Override
	public String toString() {
		return "ClientStream[" + this.request.service() + " " + this.request.endpoint() + "]";
	}

}
