package io.micro4j.transport;

import java.time.Duration;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * One side of a message stream between a client and a server (go-micro's {@code Stream}), as a transport carries
 * it: encoded messages both ways, with the peer's flow control. Methods block the calling thread, which is never an
 * I/O thread: a stream is used by the application thread that opened it, or by the handler's worker thread.
 * <p>
 * One thread sends and one thread receives at a time; sending and receiving may happen on two threads.
 */
public interface TransportStream {

	/**
	 * Sends one message. Blocks while the peer cannot take more (its flow-control window is full), so a fast sender
	 * never buffers without bound.
	 * @throws io.micro4j.errors.MicroException 408 when the peer took nothing for {@code timeout}; the error that
	 * ended the stream when it ended
	 */
	void send(byte[] message, Duration timeout);

	/**
	 * The next message; {@code null} when the peer finished sending (go-micro's {@code io.EOF}). Asks the peer for
	 * more only as messages are taken, so a slow receiver holds back the sender.
	 * @throws io.micro4j.errors.MicroException 408 when no message came within {@code timeout}; the error that ended
	 * the stream (the server's error, a lost connection) when it failed
	 */
	byte @Nullable [] receive(Duration timeout);

	/** This side sends no more (the client's half-close); the peer reads the end after the messages sent. */
	void closeSend();

	/** Aborts the stream: both directions end, the peer sees it cancelled. Idempotent; no-op once the stream ended. */
	void cancel();

	/**
	 * Runs {@code callback} once, when the stream has ended (at once if it has): with {@code null} when it completed
	 * normally, else with the error that ended it. Called on any thread; must not block.
	 */
	void onEnd(Consumer<@Nullable Throwable> callback);

}
