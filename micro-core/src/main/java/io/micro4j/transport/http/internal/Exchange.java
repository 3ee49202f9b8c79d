package io.micro4j.transport.http.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import io.micro4j.errors.MicroException;
import io.micro4j.transport.TransportResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.jspecify.annotations.Nullable;

/**
 * One request of the client and its result, from connecting to the last byte of the response.
 * <p>
 * The result is {@link #future()}, completed once. Any exceptional completion (failure, timeout, cancellation by
 * the caller) closes the connection the exchange is using or aborts its pending connect, because such a connection
 * may still carry part of this exchange.
 */
public final class Exchange {

	/** The error id of client-side timeouts, as go-micro's client. */
	public static final String CLIENT_ERROR_ID = "go.micro.client";

	/** The error id of client-side transport failures, as go-micro's client. */
	public static final String TRANSPORT_ERROR_ID = "go.micro.client.transport";

	private final String address;

	private final boolean secure;

	private final String target;

	private final HttpHeaders headers;

	private final byte[] body;

	private final Duration timeout;

	private final CompletableFuture<TransportResponse> future = new CompletableFuture<>();

	private volatile @Nullable Channel channel;

	private volatile @Nullable Future<?> pending;

	private volatile @Nullable Future<?> timer;

	public Exchange(String address, boolean secure, String target, HttpHeaders headers, byte[] body,
			Duration timeout) {
		this.address = address;
		this.secure = secure;
		this.target = target;
		this.headers = headers;
		this.body = body;
		this.timeout = timeout;
		this.future.whenComplete((response, failure) -> finished(failure));
	}

	public String address() {
		return this.address;
	}

	/** Whether the exchange goes over TLS. */
	public boolean secure() {
		return this.secure;
	}

	/** The pool of connections the exchange may use: TLS and plaintext connections to one address are apart. */
	public String poolKey() {
		return poolKey(this.address, this.secure);
	}

	/** The pool key of connections to {@code address}, TLS or not. */
	public static String poolKey(String address, boolean secure) {
		return secure ? "tls:" + address : address;
	}

	/** The result; may complete on an I/O thread. */
	public CompletableFuture<TransportResponse> future() {
		return this.future;
	}

	public boolean isDone() {
		return this.future.isDone();
	}

	/** The request to write: {@code POST} to the target with the prepared headers and body. */
	FullHttpRequest newRequest() {
		return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, this.target,
				Unpooled.wrappedBuffer(this.body),
				this.headers, EmptyHttpHeaders.INSTANCE);
	}

	/** Arms the overall timeout. */
	public void timer(Future<?> timer) {
		this.timer = timer;
		if (this.future.isDone()) {
			timer.cancel(false);
		}
	}

	/** Records a connect (or name lookup) in progress, aborted if the exchange ends first. */
	public void pending(Future<?> pending) {
		this.pending = pending;
		if (this.future.isDone()) {
			pending.cancel(false);
		}
	}

	/**
	 * Binds the exchange to {@code channel} before its request is written.
	 * @return {@code false} when the exchange already ended (then the channel is closed)
	 */
	boolean attach(Channel channel) {
		this.channel = channel;
		if (this.future.isDone()) {
			channel.close();
			return false;
		}
		return true;
	}

	/** Completes with a 408 when the overall timeout passed first. */
	public void timedOut() {
		this.future.completeExceptionally(MicroException.timeout(CLIENT_ERROR_ID,
				"call timeout: request to %s timed out after %s", this.address, GoDuration.format(this.timeout)));
	}

	/** Completes with {@code failure}. */
	public void fail(Throwable failure) {
		this.future.completeExceptionally(failure);
	}

	/** Completes with a 500 of the client transport, {@code detail} formatted with {@code args}. */
	void failTransport(@Nullable Throwable cause, String format, Object... args) {
		this.future.completeExceptionally(new MicroException(TRANSPORT_ERROR_ID, 500, String.format(format, args),
				MicroException.statusText(500), cause));
	}

	/**
	 * Completes with an {@link io.micro4j.errors.UnprocessedRequestException} (500 of the client transport): the
	 * request certainly did not reach the server, so it may be retried on another node.
	 */
	void failUnprocessed(@Nullable Throwable cause, String format, Object... args) {
		this.future.completeExceptionally(
				new io.micro4j.errors.UnprocessedRequestException(String.format(format, args), cause));
	}

	/**
	 * Completes with a {@link io.micro4j.transport.ConnectionBrokenException}: the connection broke after the request
	 * was written; the server may have processed it.
	 */
	void failBroken(@Nullable Throwable cause, String format, Object... args) {
		this.future.completeExceptionally(
				new io.micro4j.transport.ConnectionBrokenException(String.format(format, args), cause));
	}

	void succeed(TransportResponse response) {
		this.future.complete(response);
	}

	private void finished(@Nullable Throwable failure) {
		Future<?> t = this.timer;
		if (t != null) {
			t.cancel(false);
		}
		if (failure == null) {
			return;
		}
		Future<?> p = this.pending;
		if (p != null && !p.isDone()) {
			p.cancel(false);
		}
		Channel c = this.channel;
		if (c != null) {
			c.close();
		}
	}

}
