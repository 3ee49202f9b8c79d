package io.micro4j.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micro4j.codec.Codec;
import io.micro4j.metadata.Deadline;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Node;
import io.micro4j.selector.Next;
import io.micro4j.transport.TransportStream;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The context of one client call as it flows through the {@link CallWrapper} chain: the request, the outgoing
 * metadata (mutable: whatever it holds when the chain reaches the transport is sent), the deadline of the whole call,
 * the options, the attempt number, the chosen node, the observation and attributes shared by the decorators.
 * <p>
 * Wrappers outside the retry stage ({@link CallWrapper#RETRY_ORDER} and lower) see the context of the call; the
 * retry stage gives each attempt its own context ({@link #attempt()} 0, 1, ...) starting from a copy of the call's
 * request and metadata, so a change made for one attempt does not leak into the next, while a change made outside
 * the retry stage applies to every attempt. Attributes are shared by the call and all its attempts.
 * <p>
 * Not thread-safe: one attempt is in flight at a time, and a wrapper changes the context before passing it on.
 */
public final class ClientRequestContext {

	private final @Nullable ClientRequestContext parent;

	private Request request;

	private final Map<String, String> metadata;

	private final Deadline deadline;

	private final CallOptions options;

	private final int attempt;

	private final Map<String, Object> attributes;

	private @Nullable Node node;

	private Observation observation = Observation.NOOP;

	private @Nullable Next next;

	// a stream call (Client#stream): its life's deadline, and the stream once open
	private boolean stream;

	private @Nullable Deadline streamDeadline;

	private volatile @Nullable TransportStream openedStream;

	// the last encoding, reused while the body is the same object and codec
	private @Nullable Object encodedBody;

	private @Nullable Codec encodedWith;

	private byte @Nullable [] encoded;

	ClientRequestContext(Request request, Map<String, String> metadata, Deadline deadline, CallOptions options) {
		this.parent = null;
		this.request = request;
		this.metadata = metadata;
		this.deadline = deadline;
		this.options = options;
		this.attempt = 0;
		this.attributes = new ConcurrentHashMap<>(4);
	}

	private ClientRequestContext(ClientRequestContext parent, int attempt) {
		this.parent = parent;
		this.request = parent.request;
		this.metadata = new LinkedHashMap<>(parent.metadata);
		this.deadline = parent.deadline;
		this.options = parent.options;
		this.attempt = attempt;
		this.attributes = parent.attributes;
		this.observation = parent.observation;
		this.encodedBody = parent.encodedBody;
		this.encodedWith = parent.encodedWith;
		this.encoded = parent.encoded;
	}

	/** The context of attempt {@code attempt} of this call. */
	ClientRequestContext newAttempt(int attempt) {
		return new ClientRequestContext(this, attempt);
	}

	/** The request as it stands now. */
	public Request request() {
		return this.request;
	}

	/** Replaces the request, e.g. with a changed body or content type. */
	public void request(Request request) {
		this.request = Objects.requireNonNull(request, "request");
	}

	/** The target service. */
	public String service() {
		return this.request.service();
	}

	/** The endpoint, e.g. {@code Greeter.Hello}. */
	public String endpoint() {
		return this.request.endpoint();
	}

	/** A snapshot of the outgoing metadata (inherited, the request's, and what wrappers added). */
	public Metadata metadata() {
		return Metadata.of(this.metadata);
	}

	/** The outgoing value of {@code key} (any case), if set. */
	public Optional<String> metadata(String key) {
		return Optional.ofNullable(this.metadata.get(Metadata.canonicalKey(key)));
	}

	/** Sets outgoing metadata {@code key} (sent as a header, key in canonical form) to {@code value}. */
	public void putMetadata(String key, String value) {
		this.metadata.put(Metadata.canonicalKey(Objects.requireNonNull(key, "key")),
				Objects.requireNonNull(value, "value"));
	}

	/** Removes outgoing metadata {@code key} (any case). */
	public void removeMetadata(String key) {
		this.metadata.remove(Metadata.canonicalKey(key));
	}

	/** The deadline of the whole call: the request timeout, or the caller's earlier deadline. */
	public Deadline deadline() {
		return this.deadline;
	}

	/** The options of the call. */
	public CallOptions options() {
		return this.options;
	}

	/** The attempt: 0 for the first, 1 for the first retry...; 0 outside the retry stage. */
	public int attempt() {
		return this.attempt;
	}

	/** The node of this attempt, once the selection stage has chosen it. */
	public Optional<Node> node() {
		return Optional.ofNullable(this.node);
	}

	/** The call's observation; {@link Observation#NOOP} when calls are not observed. */
	public Observation observation() {
		return this.observation;
	}

	/** Attributes decorators share across the call and its attempts (thread-safe). */
	public Map<String, Object> attributes() {
		return this.attributes;
	}

	/** The context of the whole call; this one outside the retry stage. */
	public ClientRequestContext callContext() {
		return (this.parent != null) ? this.parent : this;
	}

	void node(Node node) {
		this.node = node;
	}

	/**
	 * Whether this call opens a stream ({@link Client#stream}) rather than sending one request: it completes when the
	 * stream is open, and the observation and the node's outcome then wait for the stream's end.
	 */
	public boolean isStream() {
		return callContext().stream;
	}

	void stream(@Nullable Deadline life) {
		this.stream = true;
		this.streamDeadline = life;
	}

	/** The deadline of a stream's whole life; {@code null} for none. */
	@Nullable Deadline streamDeadline() {
		return callContext().streamDeadline;
	}

	/** The stream this call opened, once open. */
	@Nullable TransportStream openedStream() {
		return callContext().openedStream;
	}

	void openedStream(TransportStream opened) {
		callContext().openedStream = opened;
	}

	void observation(Observation observation) {
		this.observation = observation;
	}

	/** The mutable metadata map (canonical keys), the carrier trace context is injected into. */
	Map<String, String> metadataMap() {
		return this.metadata;
	}

	/** The call-wide node selection, created on first use. */
	@Nullable Next selection() {
		return callContext().next;
	}

	void selection(Next next) {
		callContext().next = next;
	}

	/** The request body encoded with {@code codec}, reusing the last encoding of the same body. */
	byte[] encode(Codec codec) {
		Object body = this.request.body();
		byte[] bytes = this.encoded;
		if (bytes != null && this.encodedBody == body && this.encodedWith == codec) {
			return bytes;
		}
		bytes = codec.encode(body);
		this.encodedBody = body;
		this.encodedWith = codec;
		this.encoded = bytes;
		ClientRequestContext call = callContext();
		if (call != this && call.request.body() == body) {
			call.encodedBody = body;
			call.encodedWith = codec;
			call.encoded = bytes;
		}
		return bytes;
	}

	@Override
	public String toString() {
		return "ClientRequestContext[" + this.request.service() + " " + this.request.endpoint() + ", attempt "
				+ this.attempt + ((this.node != null) ? ", node " + this.node.id() : "") + "]";
	}

}
