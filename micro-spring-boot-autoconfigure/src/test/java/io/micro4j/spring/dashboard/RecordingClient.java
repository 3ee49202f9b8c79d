package io.micro4j.spring.dashboard;

import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.micro4j.client.CallOptions;
import io.micro4j.client.Client;
import io.micro4j.client.Request;
import io.micro4j.metadata.Metadata;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** A client that answers every call with {@code {}} and keeps the options of the last one. */
final class RecordingClient implements Client {

	private final AtomicReference<@Nullable CallOptions> options = new AtomicReference<>();

	/** The options of the last call, or {@code null} before the first. */
	@Nullable CallOptions lastOptions() {
		return this.options.get();
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T call(Request request, Type responseType, CallOptions options) {
		this.options.set(options);
		return (T) JsonMapper.builder().build().createObjectNode();
	}

	@Override
	public <T> CompletableFuture<T> callAsync(Request request, Type responseType, CallOptions options) {
		throw new UnsupportedOperationException("not used by the dashboard");
	}

	@Override
	public void publish(String topic, Object payload, Metadata metadata) {
	}

	@Override
	public CallOptions defaultCallOptions() {
		return CallOptions.defaults();
	}

	@Override
	public void close() {
	}

}
