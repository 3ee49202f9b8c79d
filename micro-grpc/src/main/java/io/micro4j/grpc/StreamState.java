package io.micro4j.grpc;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.micro4j.errors.MicroException;
import org.jspecify.annotations.Nullable;

/**
 * The blocking side of one gRPC stream as a transport stream shows it: the messages received and not yet taken, the
 * peer's end, the stream's end, and the waits of the sending and the receiving thread. The I/O side offers messages
 * and signals; application threads take and wait. Only messages asked for arrive (one at a time), so the inbox
 * holds at most the few messages of one HTTP/2 frame.
 */
final class StreamState {

	private final String errorId;

	private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();

	private final List<Consumer<@Nullable Throwable>> endCallbacks = new ArrayList<>(2);

	private boolean asked;

	private boolean peerFinished;

	private @Nullable Throwable failure;

	private boolean ended;

	StreamState(String errorId) {
		this.errorId = errorId;
	}

	/** A message arrived. */
	synchronized void offer(byte[] message) {
		this.inbox.add(message);
		this.asked = false;
		notifyAll();
	}

	/** The peer sends no more: the receiver reads the end after the messages already offered. */
	synchronized void peerFinished() {
		this.peerFinished = true;
		notifyAll();
	}

	/** Wakes the threads waiting to send (the peer can take more). */
	synchronized void signal() {
		notifyAll();
	}

	/**
	 * The stream ended: normally ({@code null}) or with {@code error}, which the next receive (after the messages
	 * already received) and any send then throw. Runs the end callbacks once.
	 */
	void end(@Nullable Throwable error) {
		List<Consumer<@Nullable Throwable>> callbacks;
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.ended = true;
			if (error != null) {
				this.failure = error;
			}
			else {
				this.peerFinished = true;
			}
			notifyAll();
			callbacks = List.copyOf(this.endCallbacks);
			this.endCallbacks.clear();
		}
		for (Consumer<@Nullable Throwable> callback : callbacks) {
			callback.accept(error);
		}
	}

	boolean isEnded() {
		synchronized (this) {
			return this.ended;
		}
	}

	void onEnd(Consumer<@Nullable Throwable> callback) {
		Throwable error;
		synchronized (this) {
			if (!this.ended) {
				this.endCallbacks.add(callback);
				return;
			}
			error = this.failure;
		}
		callback.accept(error);
	}

	/**
	 * The next message, {@code null} after the peer's end; runs {@code askForMore} (outside the lock) when the inbox is
	 * empty and nothing is asked for yet.
	 */
	byte @Nullable [] take(Duration timeout, Runnable askForMore) {
		long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
		while (true) {
			boolean ask = false;
			synchronized (this) {
				byte[] message = this.inbox.poll();
				if (message != null) {
					return message;
				}
				if (this.failure != null) {
					throw asMicro(this.failure);
				}
				if (this.peerFinished) {
					return null;
				}
				if (!this.asked) {
					this.asked = true;
					ask = true;
				}
				else {
					waitUntil(deadline, "no stream message within " + timeout);
				}
			}
			if (ask) {
				askForMore.run();
			}
		}
	}

	/** Waits until {@code writable} says the peer can take a message, or fails when the stream ended. */
	void awaitWritable(Duration timeout, BooleanSupplier writable) {
		long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
		synchronized (this) {
			while (true) {
				if (this.failure != null) {
					throw asMicro(this.failure);
				}
				if (this.ended) {
					throw new MicroException(this.errorId, 500, "stream ended: cannot send",
							MicroException.statusText(500), null);
				}
				if (writable.getAsBoolean()) {
					return;
				}
				waitUntil(deadline, "the peer took no stream message within " + timeout);
			}
		}
	}

	private void waitUntil(long deadline, String what) {
		long left = deadline - System.nanoTime();
		if (left <= 0) {
			throw MicroException.timeout(this.errorId, "stream timeout: %s", what);
		}
		try {
			TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MicroException(this.errorId, 408, "stream wait interrupted", MicroException.statusText(408), ex);
		}
	}

	private MicroException asMicro(Throwable error) {
		if (error instanceof MicroException micro) {
			return new MicroException(micro.id(), micro.code(), micro.detail(), micro.status(), micro);
		}
		return MicroException.from(this.errorId, error);
	}

}
