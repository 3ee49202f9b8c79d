package io.micro4j.server;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.micro4j.codec.Codec;
import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Cancellation;
import io.micro4j.metadata.Deadline;
import io.micro4j.metadata.Metadata;
import io.micro4j.transport.TransportResponse;
import io.micro4j.transport.TransportStream;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import org.jspecify.annotations.Nullable;

/**
 * The server's state of one admitted call: what the dispatcher parsed, the response the transport waits for, and the
 * answer-once rule between the handler and the deadline timer. Whoever answers first wins; when the timer wins, the
 * call is cancelled and the handler's late result is dropped.
 */
final class ServerCall implements TimerTask {

	private static final AtomicIntegerFieldUpdater<ServerCall> ANSWERED = AtomicIntegerFieldUpdater
		.newUpdater(ServerCall.class, "answered");

	final DefaultServer.Route route;

	final Codec codec;

	final Metadata requestHeaders;

	final Metadata metadata;

	final @Nullable Deadline deadline;

	final InetSocketAddress local;

	final InetSocketAddress remote;

	final byte[] body;

	final Cancellation cancellation = Cancellation.create();

	final CompletableFuture<TransportResponse> response = new CompletableFuture<>();

	/** The stream of a streaming call; {@code null} for a unary one. Set before the call is handed to a worker. */
	@Nullable TransportStream stream;

	private final Replies replies;

	private volatile int answered;

	private volatile @Nullable Timeout timeout;

	ServerCall(DefaultServer.Route route, Codec codec, Metadata requestHeaders, Metadata metadata,
			@Nullable Deadline deadline, InetSocketAddress local, InetSocketAddress remote, byte[] body,
			Replies replies) {
		this.route = route;
		this.codec = codec;
		this.requestHeaders = requestHeaders;
		this.metadata = metadata;
		this.deadline = deadline;
		this.local = local;
		this.remote = remote;
		this.body = body;
		this.replies = replies;
	}

	String endpoint() {
		return this.route.method().endpoint();
	}

	/** Arms the deadline on {@code timer}; a call without deadline is not armed. */
	void armDeadline(Timer timer) {
		Deadline d = this.deadline;
		if (d == null) {
			return;
		}
		this.timeout = timer.newTimeout(this, d.remainingNanos(), TimeUnit.NANOSECONDS);
		if (this.answered != 0) {
			disarm();
		}
	}

	/** Whether the caller has its answer (from the handler or the deadline). */
	boolean isAnswered() {
		return this.answered != 0;
	}

	/** Sends {@code reply} unless the call was answered already; {@code false} when this reply is dropped. */
	boolean answer(TransportResponse reply) {
		if (!ANSWERED.compareAndSet(this, 0, 1)) {
			return false;
		}
		disarm();
		this.response.complete(reply);
		return true;
	}

	/** The 408 this call answers with when its deadline passes. */
	MicroException deadlineExceeded() {
		return MicroException.timeout(FailureClassifier.SERVER_ID,
				"deadline exceeded: handler %s did not answer within the caller's timeout", endpoint());
	}

	/** Answers with {@link #deadlineExceeded()} and cancels, unless answered already. */
	boolean expire() {
		if (!ANSWERED.compareAndSet(this, 0, 1)) {
			return false;
		}
		disarm();
		this.cancellation.cancel();
		this.response.complete(this.replies.error(this.requestHeaders, endpoint(), this.codec.contentType(),
				deadlineExceeded()));
		return true;
	}

	/** The deadline timer fired. */
	@Override
	public void run(Timeout fired) {
		expire();
	}

	private void disarm() {
		Timeout t = this.timeout;
		if (t != null) {
			t.cancel();
		}
	}

}
