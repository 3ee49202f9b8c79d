package io.micro4j.server;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micro4j.metadata.Cancellation;
import io.micro4j.metadata.Deadline;
import io.micro4j.metadata.Metadata;
import org.jspecify.annotations.Nullable;

/**
 * The server-side context of one call as it flows through the {@link HandlerWrapper} chain to the handler: service,
 * endpoint, content type, the incoming metadata, the decoded request body, the caller's deadline, the local and
 * remote addresses, attributes for decorators and the call's cancellation state.
 * <p>
 * A wrapper replaces the body for the wrappers and handler after it by passing {@link #withBody(Object)} to the next
 * function; the copy shares this call's attributes and cancellation state. Attributes are safe to use from several
 * threads.
 */
public final class ServerRequest {

	/** The attribute holding a streaming call's {@link ServerStream}. */
	static final String STREAM_ATTRIBUTE = ServerStream.class.getName();

	private final String service;

	private final String endpoint;

	private final String contentType;

	private final Metadata headers;

	private final Object body;

	private final @Nullable Deadline deadline;

	private final @Nullable InetSocketAddress localAddress;

	private final @Nullable InetSocketAddress remoteAddress;

	private final Cancellation cancellation;

	private final Map<String, Object> attributes;

	/**
	 * A context without deadline or addresses, never cancelled unless its {@link #cancellation()} is; for tests of
	 * wrappers.
	 * @param service the service name
	 * @param endpoint the endpoint, e.g. {@code Greeter.Hello}
	 * @param contentType the request's content type
	 * @param headers the incoming metadata
	 * @param body the decoded request object
	 */
	public ServerRequest(String service, String endpoint, String contentType, Metadata headers, Object body) {
		this(service, endpoint, contentType, headers, body, null, null, null, Cancellation.create(),
				new ConcurrentHashMap<>(4));
	}

	ServerRequest(String service, String endpoint, String contentType, Metadata headers, Object body,
			@Nullable Deadline deadline, @Nullable InetSocketAddress localAddress,
			@Nullable InetSocketAddress remoteAddress, Cancellation cancellation, Map<String, Object> attributes) {
		this.service = Objects.requireNonNull(service, "service");
		this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
		this.contentType = Objects.requireNonNull(contentType, "contentType");
		this.headers = Objects.requireNonNull(headers, "headers");
		this.body = Objects.requireNonNull(body, "body");
		this.deadline = deadline;
		this.localAddress = localAddress;
		this.remoteAddress = remoteAddress;
		this.cancellation = cancellation;
		this.attributes = attributes;
	}

	/** The service name. */
	public String service() {
		return this.service;
	}

	/** The endpoint, e.g. {@code Greeter.Hello}. */
	public String endpoint() {
		return this.endpoint;
	}

	/** The request's content type. */
	public String contentType() {
		return this.contentType;
	}

	/**
	 * The incoming metadata (case-insensitive): every request header plus {@code Local} and {@code Remote}, as
	 * go-micro's server puts them in the context.
	 */
	public Metadata headers() {
		return this.headers;
	}

	/** {@link #headers()}, named as go-micro names it. */
	public Metadata metadata() {
		return this.headers;
	}

	/** The decoded request object; a plain {@code Object} when the endpoint takes no request. */
	public Object body() {
		return this.body;
	}

	/** A copy whose body is {@code body}, sharing this call's attributes and cancellation state. */
	public ServerRequest withBody(Object body) {
		return new ServerRequest(this.service, this.endpoint, this.contentType, this.headers, body, this.deadline,
				this.localAddress, this.remoteAddress, this.cancellation, this.attributes);
	}

	/** The deadline from the caller's {@code Timeout} header; empty when the caller sent none. */
	public Optional<Deadline> deadline() {
		return Optional.ofNullable(this.deadline);
	}

	/** The server address the call arrived on; empty only for a context built with the public constructor. */
	public Optional<InetSocketAddress> localAddress() {
		return Optional.ofNullable(this.localAddress);
	}

	/** The caller's address; empty only for a context built with the public constructor. */
	public Optional<InetSocketAddress> remoteAddress() {
		return Optional.ofNullable(this.remoteAddress);
	}

	/**
	 * The stream of a streaming call ({@link ServerStream}); empty for a unary one. For a streaming endpoint without
	 * request parameter, {@link #body()} is a plain {@code Object}.
	 */
	public Optional<ServerStream> stream() {
		return attribute(STREAM_ATTRIBUTE, ServerStream.class);
	}

	/** The attribute {@code name}, empty when unset. */
	public Optional<Object> attribute(String name) {
		return Optional.ofNullable(this.attributes.get(name));
	}

	/** The attribute {@code name} if it is set and a {@code type}; empty otherwise. */
	public <T> Optional<T> attribute(String name, Class<T> type) {
		Object value = this.attributes.get(name);
		return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
	}

	/** Sets attribute {@code name} for the rest of this call; {@code null} removes it. */
	public void setAttribute(String name, @Nullable Object value) {
		if (value == null) {
			this.attributes.remove(name);
		}
		else {
			this.attributes.put(name, value);
		}
	}

	/**
	 * Whether the call was cancelled: its deadline passed, the caller already got a 408 and the server drops the
	 * handler's result.
	 */
	public boolean isCancelled() {
		return this.cancellation.isCancelled();
	}

	/** Runs {@code callback} when the call is cancelled; see {@link Cancellation#onCancel(Runnable)}. */
	public void onCancel(Runnable callback) {
		this.cancellation.onCancel(callback);
	}

	/** The call's cancellation state. */
	public Cancellation cancellation() {
		return this.cancellation;
	}

	@Override
	public String toString() {
		return "ServerRequest[service=" + this.service + ", endpoint=" + this.endpoint + ", contentType="
				+ this.contentType + ", deadline=" + this.deadline + "]";
	}

}
