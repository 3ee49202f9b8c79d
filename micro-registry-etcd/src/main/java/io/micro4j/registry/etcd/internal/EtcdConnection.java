package io.micro4j.registry.etcd.internal;

import java.io.IOException;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import io.micro4j.internal.OutageTracker;
import io.micro4j.registry.Reachability;
import io.micro4j.registry.RegistryException;
import io.micro4j.transport.http.internal.TlsFailures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One jetcd client configured to fail fast, and the few calls the registry makes through it.
 * <p>
 * jetcd's defaults make calls wait while etcd is unreachable ({@code waitForReady}) and retry them for a long
 * time; here every unary call fails after the timeout at the latest (a gRPC deadline set by an interceptor, plus a
 * local bound on the wait), with a {@link RegistryException} naming the endpoints. Streams (watches, lease
 * keep-alives) get no deadline. After a failure the channel is asked to reconnect at once rather than after gRPC's
 * growing reconnect back-off (up to two minutes), so a restarted etcd is used as soon as it answers.
 * <p>
 * Every unary call and every stream event reports its outcome to one {@link OutageTracker}: a call or stream that
 * fails for want of a connection or an answer starts an outage (one WARN), the next answer ends it (one INFO). This
 * is the one place a process logs an etcd outage.
 */
public final class EtcdConnection implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EtcdConnection.class);

	/** How often at most the channel is told to skip its reconnect back-off. */
	private static final long RECONNECT_KICK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	private final Client client;

	private final Duration timeout;

	private final String endpoints;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final AtomicLong lastKick = new AtomicLong(System.nanoTime() - RECONNECT_KICK_INTERVAL_NANOS);

	private volatile boolean kickUnavailable;

	private final OutageTracker outage;

	/**
	 * Builds the client from {@code builder} after making it fail fast.
	 * @param builder a jetcd builder with endpoints, credentials and TLS set
	 * @param endpoints the endpoints, as error messages show them
	 * @param timeout the bound of every unary call
	 * @param outageLogger the logger of the outage WARN and INFO
	 */
	public EtcdConnection(ClientBuilder builder, List<String> endpoints, Duration timeout, Logger outageLogger) {
		this.timeout = timeout;
		this.endpoints = String.join(",", endpoints);
		this.outage = new OutageTracker(outageLogger, "etcd registry at " + this.endpoints);
		this.client = builder.waitForReady(false)
			.retryMaxAttempts(0)
			.connectTimeout(timeout)
			.interceptor(new UnaryDeadline(timeout))
			.build();
	}

	/** The endpoints, comma separated. */
	public String endpoints() {
		return this.endpoints;
	}

	/** What the calls and streams have seen of etcd's reachability; no I/O. */
	public Reachability reachability() {
		return this.outage.reachability();
	}

	/** Whether an outage is in progress (a call or stream failed for want of etcd, and none succeeded since). */
	public boolean isFailing() {
		return this.outage.isFailing();
	}

	/** Reports that a stream (watch, keep-alive) received an answer from etcd. */
	public void streamAnswered() {
		this.outage.recovered();
	}

	/**
	 * Reports that a stream (watch, keep-alive) was interrupted by {@code error}: an outage starts when etcd could
	 * not be reached, and the channel is asked to reconnect soon.
	 */
	public void streamFailed(Throwable error) {
		if (this.closed.get()) {
			return;
		}
		if (isUnreachable(error)) {
			this.outage.failed(unwrap(error));
		}
		reconnectSoon();
	}

	/** Reads the keys under {@code prefix}. */
	public GetResponse getPrefix(ByteSequence prefix) {
		return await(getPrefixAsync(prefix), "read " + prefix);
	}

	/** Reads the keys under {@code prefix}; the future fails with a {@link RegistryException}. */
	public CompletableFuture<GetResponse> getPrefixAsync(ByteSequence prefix) {
		ensureOpen();
		return bounded(this.client.getKVClient().get(prefix, GetOption.builder().isPrefix(true).build()),
				"read " + prefix);
	}

	/** Writes {@code key}, attached to lease {@code leaseId} unless it is 0. */
	public PutResponse put(ByteSequence key, ByteSequence value, long leaseId) {
		ensureOpen();
		PutOption option = (leaseId != 0) ? PutOption.builder().withLeaseId(leaseId).build() : PutOption.DEFAULT;
		return await(this.client.getKVClient().put(key, value, option), "write " + key);
	}

	/** Deletes {@code key}. */
	public DeleteResponse delete(ByteSequence key) {
		ensureOpen();
		return await(this.client.getKVClient().delete(key), "delete " + key);
	}

	/** Grants a lease of {@code ttl} (whole seconds, at least one) and returns its id. */
	public long grant(Duration ttl) {
		ensureOpen();
		long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
		return await(this.client.getLeaseClient().grant(seconds), "grant a lease of " + seconds + "s").getID();
	}

	/** Revokes lease {@code leaseId} in the background; failures are only logged at debug level. */
	public void revokeQuietly(long leaseId) {
		if (leaseId == 0 || this.closed.get()) {
			return;
		}
		try {
			this.client.getLeaseClient().revoke(leaseId).whenComplete((response, error) -> {
				if (error != null) {
					logger.debug("Revoking lease {} failed: {}", Long.toHexString(leaseId), error.getMessage());
				}
			});
		}
		catch (RuntimeException ex) {
			logger.debug("Revoking lease {} failed: {}", Long.toHexString(leaseId), ex.getMessage());
		}
	}

	/** Starts jetcd's long-lived keep-alive of lease {@code leaseId}; close the result to stop it. */
	public CloseableClient keepAlive(long leaseId, StreamObserver<LeaseKeepAliveResponse> observer) {
		ensureOpen();
		return this.client.getLeaseClient().keepAlive(leaseId, observer);
	}

	/** Starts a jetcd watch; close the result to stop it. */
	public Watch.Watcher watch(ByteSequence key, WatchOption option, Watch.Listener listener) {
		ensureOpen();
		return this.client.getWatchClient().watch(key, option, listener);
	}

	/** A {@link RegistryException} for {@code error}, a failure to {@code what}. */
	public RegistryException failure(String what, Throwable error) {
		Throwable cause = unwrap(error);
		if (cause instanceof RegistryException registry) {
			return registry;
		}
		reconnectSoon();
		if (!this.closed.get() && isUnreachable(cause)) {
			this.outage.failed(cause);
		}
		if (cause instanceof TimeoutException || isCode(cause, ErrorCode.DEADLINE_EXCEEDED)) {
			return new RegistryException("etcd at " + this.endpoints + " did not answer within " + this.timeout
					+ " (" + what + ")", cause);
		}
		return new RegistryException("etcd at " + this.endpoints + " failed to " + what + ": " + describe(cause),
				cause);
	}

	/**
	 * What {@code cause} says: for a failed TLS handshake, why in words; otherwise its message, followed by its
	 * root cause's when gRPC wrapped that into a bare status (an authentication failure arrives as
	 * {@code UNAUTHENTICATED} caused by etcd's {@code authentication failed, invalid user ID or password}).
	 */
	private String describe(Throwable cause) {
		Throwable tls = TlsFailures.tlsCause(cause);
		if (tls != null) {
			return "TLS handshake failed: " + TlsFailures.describe(tls, this.endpoints, true);
		}
		String message = String.valueOf(cause.getMessage());
		Throwable root = cause;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String rootMessage = root.getMessage();
		if (root != cause && rootMessage != null && !message.contains(rootMessage)) {
			return message + " (" + rootMessage + ")";
		}
		return message;
	}

	/**
	 * Whether {@code error} says that etcd could not be reached or did not answer in time (rather than that it
	 * answered with an error).
	 */
	static boolean isUnreachable(Throwable error) {
		Throwable cause = unwrap(error);
		if (cause instanceof TimeoutException || cause instanceof IOException) {
			return true;
		}
		if (isCode(cause, ErrorCode.UNAVAILABLE) || isCode(cause, ErrorCode.DEADLINE_EXCEEDED)) {
			return true;
		}
		for (Throwable current = cause; current != null; current = current.getCause()) {
			io.grpc.Status status = (current instanceof io.grpc.StatusRuntimeException runtime) ? runtime.getStatus()
					: (current instanceof io.grpc.StatusException checked) ? checked.getStatus() : null;
			if (status != null) {
				return status.getCode() == io.grpc.Status.Code.UNAVAILABLE
						|| status.getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

	/** Whether {@code error} (or what it wraps) is an etcd error with {@code code}. */
	public static boolean isCode(Throwable error, ErrorCode code) {
		Throwable cause = unwrap(error);
		while (cause != null) {
			if (cause instanceof EtcdException etcd && etcd.getErrorCode() == code) {
				return true;
			}
			cause = cause.getCause();
		}
		return false;
	}

	/**
	 * Tells the channel to reconnect now instead of after its back-off; called after failures, at most every
	 * 200 ms. jetcd does not expose its channel, so this reaches it by reflection and does nothing if that fails.
	 */
	public void reconnectSoon() {
		long now = System.nanoTime();
		long last = this.lastKick.get();
		if (this.kickUnavailable || this.closed.get() || now - last < RECONNECT_KICK_INTERVAL_NANOS
				|| !this.lastKick.compareAndSet(last, now)) {
			return;
		}
		ManagedChannel channel = channel();
		if (channel != null) {
			channel.resetConnectBackoff();
		}
	}

	private @Nullable ManagedChannel channel() {
		try {
			Object manager = field(this.client, "connectionManager");
			Object channel = (manager != null) ? field(manager, "managedChannel") : null;
			return (channel instanceof ManagedChannel managed) ? managed : null;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			this.kickUnavailable = true;
			logger.debug("Cannot reach jetcd's channel to skip its reconnect back-off: {}", ex.toString());
			return null;
		}
	}

	private static @Nullable Object field(Object target, String name) throws ReflectiveOperationException {
		for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
			try {
				Field field = type.getDeclaredField(name);
				field.setAccessible(true);
				return field.get(target);
			}
			catch (NoSuchFieldException ex) {
				// look in the superclass
			}
		}
		throw new NoSuchFieldException(name);
	}

	/** Closes the jetcd client (its channel, event loop and streams); idempotent. */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.client.close();
		}
	}

	/** Whether {@link #close()} was called. */
	public boolean isClosed() {
		return this.closed.get();
	}

	private void ensureOpen() {
		if (this.closed.get()) {
			throw new RegistryException("etcd registry (" + this.endpoints + ") is closed");
		}
	}

	private <T> CompletableFuture<T> bounded(CompletableFuture<T> call, String what) {
		CompletableFuture<T> result = new CompletableFuture<>();
		call.orTimeout(this.timeout.toMillis() + 500, TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
			if (error != null) {
				result.completeExceptionally(failure(what, error));
			}
			else {
				this.outage.recovered();
				result.complete(value);
			}
		});
		return result;
	}

	private <T> T await(CompletableFuture<T> call, String what) {
		try {
			T value = call.get(this.timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
			this.outage.recovered();
			return value;
		}
		catch (ExecutionException | TimeoutException | CancellationException ex) {
			call.cancel(true);
			throw failure(what, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			call.cancel(true);
			throw new RegistryException("interrupted while waiting for etcd at " + this.endpoints, ex);
		}
	}

	private static Throwable unwrap(Throwable error) {
		Throwable cause = error;
		while ((cause instanceof ExecutionException || cause instanceof CompletionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/** Gives every unary call a deadline; streams are left alone. */
	private static final class UnaryDeadline implements ClientInterceptor {

		private final long timeoutMillis;

		UnaryDeadline(Duration timeout) {
			this.timeoutMillis = timeout.toMillis();
		}

		@Override
		public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
				Channel next) {
			CallOptions bounded = options;
			if (method.getType() == MethodDescriptor.MethodType.UNARY && options.getDeadline() == null) {
				bounded = options.withDeadlineAfter(this.timeoutMillis, TimeUnit.MILLISECONDS);
			}
			return next.newCall(method, bounded);
		}

	}

}
