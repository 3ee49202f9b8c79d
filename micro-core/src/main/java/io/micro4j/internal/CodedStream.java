package io.micro4j.internal;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Objects;

import io.micro4j.codec.Codec;
import io.micro4j.codec.CodecException;
import io.micro4j.metadata.Deadline;
import io.micro4j.transport.TransportStream;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TransportStream} with a codec and a bound on every wait: the stream's deadline when it has one, else a
 * fixed wait per operation. The common part of the client's and the server's streams.
 */
public final class CodedStream {

	private final TransportStream stream;

	private final Codec codec;

	private final @Nullable Deadline deadline;

	private final Duration defaultWait;

	private final String decodeErrorId;

	private final int decodeErrorCode;

	/**
	 * @param decodeErrorId the id of the error a message that does not decode raises
	 * @param decodeErrorCode its code: 400 on the server (the client sent it), 500 on the client
	 */
	public CodedStream(TransportStream stream, Codec codec, @Nullable Deadline deadline, Duration defaultWait,
			String decodeErrorId, int decodeErrorCode) {
		this.stream = Objects.requireNonNull(stream, "stream");
		this.codec = Objects.requireNonNull(codec, "codec");
		this.deadline = deadline;
		this.defaultWait = Objects.requireNonNull(defaultWait, "defaultWait");
		this.decodeErrorId = decodeErrorId;
		this.decodeErrorCode = decodeErrorCode;
	}

	public TransportStream transport() {
		return this.stream;
	}

	public Codec codec() {
		return this.codec;
	}

	/** How long the next operation may wait: what is left of the deadline, else the default wait. */
	public Duration waitBound() {
		Deadline d = this.deadline;
		return (d != null) ? d.remaining() : this.defaultWait;
	}

	public void send(Object message) {
		Objects.requireNonNull(message, "message");
		this.stream.send(this.codec.encode(message), waitBound());
	}

	/** The next message as {@code type}, waiting at most the wait bound; {@code null} at the peer's end. */
	@SuppressWarnings("unchecked")
	public <T> @Nullable T receive(Class<T> type) {
		return (T) receive(type, waitBound());
	}

	/** The next message as {@code type}, waiting at most {@code timeout} (and the wait bound). */
	@SuppressWarnings("unchecked")
	public <T> @Nullable T receive(Class<T> type, Duration timeout) {
		return (T) receive((Type) type, timeout);
	}

	public @Nullable Object receive(Type type, Duration timeout) {
		Duration bound = waitBound();
		byte[] message = this.stream.receive((timeout.compareTo(bound) < 0) ? timeout : bound);
		if (message == null) {
			return null;
		}
		try {
			return this.codec.decode(message, type);
		}
		catch (CodecException ex) {
			throw new io.micro4j.errors.MicroException(this.decodeErrorId, this.decodeErrorCode,
					"stream message: " + ex.detail(), io.micro4j.errors.MicroException.statusText(this.decodeErrorCode),
					ex);
		}
	}

}
