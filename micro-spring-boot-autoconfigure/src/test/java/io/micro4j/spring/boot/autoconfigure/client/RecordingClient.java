package io.micro4j.spring.boot.autoconfigure.client;

import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import io.micro4j.client.CallOptions;
import io.micro4j.client.Client;
import io.micro4j.client.Request;
import io.micro4j.metadata.Metadata;

/** A {@link Client} that records what it is asked and answers with a function of the request. */
public final class RecordingClient implements Client {

	/** One recorded call. */
	public record Call(Request request, Type responseType, CallOptions options, boolean async) {
	}

	/** One recorded publish. */
	public record Publication(String topic, Object payload, Metadata metadata) {
	}

	public final List<Call> calls = new CopyOnWriteArrayList<>();

	public final List<Publication> publications = new CopyOnWriteArrayList<>();

	private final BiFunction<Request, Type, Object> answer;

	public RecordingClient(BiFunction<Request, Type, Object> answer) {
		this.answer = answer;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T call(Request request, Type responseType, CallOptions options) {
		this.calls.add(new Call(request, responseType, options, false));
		return (T) this.answer.apply(request, responseType);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<T> callAsync(Request request, Type responseType, CallOptions options) {
		this.calls.add(new Call(request, responseType, options, true));
		return CompletableFuture.completedFuture((T) this.answer.apply(request, responseType));
	}

	@Override
	public void publish(String topic, Object payload, Metadata metadata) {
		this.publications.add(new Publication(topic, payload, metadata));
	}

	@Override
	public CallOptions defaultCallOptions() {
		return CallOptions.defaults();
	}

	@Override
	public void close() {
	}

}
