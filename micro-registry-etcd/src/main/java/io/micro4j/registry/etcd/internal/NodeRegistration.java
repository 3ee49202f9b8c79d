package io.micro4j.registry.etcd.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.stub.StreamObserver;
import io.micro4j.registry.RegistryException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of one node in etcd, kept alive: one lease with the registration TTL, one long-lived keep-alive stream
 * on it, and a watch on the key.
 * <p>
 * The keep-alive holds the record for as long as it is registered again within each TTL (as the server's register
 * loop does, every interval); a registration not renewed within its TTL ends: the keep-alive stops and the lease is
 * revoked, so the record expires as the {@link io.micro4j.registry.Registry} contract says.
 * <p>
 * The record is written again at once, with a new lease, when the keep-alive ends (etcd was unreachable for longer
 * than the TTL, or the process was paused), when etcd says the lease is gone (revoked, expired, or etcd lost its
 * data), when the key is deleted by anyone but this registration, or when the watch finds etcd's revision behind the
 * record's (etcd restarted without its data). While etcd is unreachable the attempts repeat with back-off
 * ({@value #MIN_RETRY_MILLIS} ms doubling up to {@value #MAX_RETRY_MILLIS} ms); the outage itself is logged by
 * the connection ({@link EtcdConnection}), the attempts only at DEBUG.
 * A zero TTL writes the record without a lease and without keep-alive.
 * <p>
 * jetcd calls back on its own threads; every reaction is handed to the registry's scheduler, so no lock is held
 * across jetcd's own locks.
 */
public final class NodeRegistration implements AutoCloseable {

	/** The first delay before writing a lost record again after a failed attempt. */
	public static final long MIN_RETRY_MILLIS = 100;

	/** The longest delay between attempts to write a lost record again. */
	public static final long MAX_RETRY_MILLIS = 1000;

	private static final Logger logger = LoggerFactory.getLogger(NodeRegistration.class);

	private final EtcdConnection etcd;

	private final ScheduledExecutorService scheduler;

	private final ByteSequence key;

	private final String description;

	private final Object lock = new Object();

	private byte[] value = new byte[0];

	private Duration ttl = Duration.ZERO;

	private long leaseId;

	/** The revision of the last write; read by jetcd's threads without the lock. */
	private volatile long putRevision;

	private @Nullable CloseableClient keepAlive;

	private Watch.@Nullable Watcher watcher;

	/** Incremented whenever the streams are replaced; callbacks of older streams are ignored. */
	private int generation;

	private boolean healthy;

	private boolean closed;

	private @Nullable ScheduledFuture<?> retry;

	/** When the registration lapses unless registered again ({@link System#nanoTime()}); unused for a zero TTL. */
	private long expiresAtNanos;

	private @Nullable ScheduledFuture<?> expiry;

	private int failures;

	/**
	 * A registration of {@code key}, not yet written.
	 * @param description the node, as log lines name it
	 */
	public NodeRegistration(EtcdConnection etcd, ScheduledExecutorService scheduler, ByteSequence key,
			String description) {
		this.etcd = etcd;
		this.scheduler = scheduler;
		this.key = key;
		this.description = description;
	}

	/**
	 * Writes {@code value} with {@code ttl}. Nothing is sent when the record is alive with the same value and TTL;
	 * a changed value is written on the existing lease; otherwise a new lease is granted and the record written.
	 * @throws RegistryException if etcd cannot be reached (the record is then written again in the background
	 * once etcd is back, unless {@link #close()} is called first)
	 */
	public void register(byte[] value, Duration ttl) {
		synchronized (this.lock) {
			if (this.closed) {
				throw new RegistryException("registration of " + this.description + " is closed");
			}
			boolean sameTtl = ttl.equals(this.ttl);
			boolean sameValue = Arrays.equals(value, this.value);
			this.value = value.clone();
			this.ttl = ttl;
			extend();
			if (this.healthy && sameTtl && sameValue) {
				return;
			}
			if (this.healthy && sameTtl) {
				try {
					this.putRevision = this.etcd.put(this.key, ByteSequence.from(this.value), this.leaseId)
						.getHeader()
						.getRevision();
					return;
				}
				catch (RegistryException ex) {
					lose("writing the changed record failed");
					throw ex;
				}
			}
			establish();
		}
	}

	/** The lease of the record, 0 when it has none (zero TTL) or is not written. */
	public long leaseId() {
		synchronized (this.lock) {
			return this.leaseId;
		}
	}

	/** Whether the record is believed to be in etcd. */
	public boolean isHealthy() {
		synchronized (this.lock) {
			return this.healthy;
		}
	}

	/**
	 * Stops keeping the record alive and deletes it; the lease is revoked in the background.
	 * @throws RegistryException if etcd cannot be reached (the record then expires with its lease)
	 */
	public void deregister() {
		long lease;
		synchronized (this.lock) {
			lease = this.leaseId;
			close();
		}
		this.etcd.delete(this.key);
		this.etcd.revokeQuietly(lease);
	}

	/** Stops keeping the record alive, leaving it to expire with its lease; idempotent. */
	@Override
	public void close() {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.healthy = false;
			cancelTimers();
			stopStreams();
		}
	}

	/** Moves the end of the registration to one TTL from now; called with the lock held. */
	private void extend() {
		if (this.ttl.isZero()) {
			if (this.expiry != null) {
				this.expiry.cancel(false);
				this.expiry = null;
			}
			return;
		}
		this.expiresAtNanos = System.nanoTime() + this.ttl.toNanos();
		if (this.expiry == null) {
			scheduleExpiry(this.ttl.toNanos());
		}
	}

	private void scheduleExpiry(long delayNanos) {
		try {
			this.expiry = this.scheduler.schedule(this::expire, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the registry is closing
		}
	}

	/**
	 * Ends a registration that was not registered again within its TTL: the keep-alive stops and the lease is
	 * revoked, so the key goes away as it would in go-micro.
	 */
	private void expire() {
		synchronized (this.lock) {
			this.expiry = null;
			if (this.closed || this.ttl.isZero()) {
				return;
			}
			long left = this.expiresAtNanos - System.nanoTime();
			if (left > 0) {
				scheduleExpiry(left);
				return;
			}
			logger.debug("Registration of {} was not renewed within {}; removing it", this.description, this.ttl);
			long lease = this.leaseId;
			this.healthy = false;
			this.leaseId = 0;
			cancelRetry();
			stopStreams();
			this.etcd.revokeQuietly(lease);
		}
	}

	private boolean lapsed() {
		return !this.ttl.isZero() && System.nanoTime() - this.expiresAtNanos >= 0;
	}

	private void cancelRetry() {
		if (this.retry != null) {
			this.retry.cancel(false);
			this.retry = null;
		}
	}

	private void cancelTimers() {
		cancelRetry();
		if (this.expiry != null) {
			this.expiry.cancel(false);
			this.expiry = null;
		}
	}

	/** Grants a lease, writes the record and starts the streams; called with the lock held. */
	private void establish() {
		long oldLease = this.leaseId;
		stopStreams();
		this.healthy = false;
		this.leaseId = 0;
		long lease = 0;
		long revision;
		try {
			lease = this.ttl.isZero() ? 0 : this.etcd.grant(this.ttl);
			revision = this.etcd.put(this.key, ByteSequence.from(this.value), lease).getHeader().getRevision();
		}
		catch (RegistryException ex) {
			this.etcd.revokeQuietly(lease);
			scheduleRetry();
			throw ex;
		}
		if (oldLease != 0 && oldLease != lease) {
			this.etcd.revokeQuietly(oldLease);
		}
		this.leaseId = lease;
		this.putRevision = revision;
		this.healthy = true;
		int current = this.generation;
		if (lease != 0) {
			this.keepAlive = this.etcd.keepAlive(lease, new KeepAliveObserver(current));
		}
		WatchOption option = WatchOption.builder()
			.withRevision(revision + 1)
			.withNoPut(true)
			.withCreateNotify(true)
			.build();
		this.watcher = this.etcd.watch(this.key, option, new KeyListener(current));
	}

	/** Closes the keep-alive and the watch; called with the lock held. */
	private void stopStreams() {
		this.generation++;
		CloseableClient oldKeepAlive = this.keepAlive;
		Watch.Watcher oldWatcher = this.watcher;
		this.keepAlive = null;
		this.watcher = null;
		if (oldKeepAlive != null) {
			oldKeepAlive.close();
		}
		if (oldWatcher != null) {
			oldWatcher.close();
		}
	}

	/** Marks the record lost and writes it again soon; called with the lock held. */
	private void lose(String reason) {
		if (this.closed || !this.healthy) {
			return;
		}
		if (this.etcd.isFailing()) {
			logger.debug("Registration of {} lost ({}); writing it again", this.description, reason);
		}
		else {
			logger.info("Registration of {} lost ({}); writing it again", this.description, reason);
		}
		this.healthy = false;
		this.failures = 0;
		scheduleRetryIn(0);
	}

	/** Handles a callback of stream generation {@code of} on the scheduler. */
	private void lost(int of, String reason) {
		try {
			this.scheduler.execute(() -> {
				synchronized (this.lock) {
					if (of == this.generation) {
						lose(reason);
					}
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// the registry is closing
		}
	}

	private void scheduleRetry() {
		this.failures++;
		if (this.failures == 1) {
			logger.debug("Registration of {} in etcd at {} failed, retrying until it succeeds", this.description,
					this.etcd.endpoints());
		}
		long delay = Math.min(MAX_RETRY_MILLIS, MIN_RETRY_MILLIS << Math.min(this.failures - 1, 10));
		scheduleRetryIn(delay);
	}

	private void scheduleRetryIn(long delayMillis) {
		if (this.closed || this.retry != null || lapsed()) {
			return;
		}
		try {
			this.retry = this.scheduler.schedule(this::retry, delayMillis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the registry is closing
		}
	}

	private void retry() {
		synchronized (this.lock) {
			this.retry = null;
			if (this.closed || this.healthy || lapsed()) {
				return;
			}
			try {
				establish();
				if (this.failures > 0) {
					logger.debug("Registration of {} in etcd written again after {} failed attempts",
							this.description, this.failures);
				}
				this.failures = 0;
			}
			catch (RegistryException ex) {
				logger.debug("Writing the registration of {} failed: {}", this.description, ex.getMessage());
			}
			catch (RuntimeException ex) {
				logger.warn("Writing the registration of {} failed", this.description, ex);
				scheduleRetry();
			}
		}
	}

	/** Reacts to the end of the keep-alive or the loss of the lease. */
	private final class KeepAliveObserver implements StreamObserver<LeaseKeepAliveResponse> {

		private final int of;

		KeepAliveObserver(int of) {
			this.of = of;
		}

		@Override
		public void onNext(LeaseKeepAliveResponse response) {
			NodeRegistration.this.etcd.streamAnswered();
			if (response.getTTL() <= 0) {
				lost(this.of, "the lease is gone");
			}
		}

		@Override
		public void onError(Throwable error) {
			if (EtcdConnection.isCode(error, ErrorCode.NOT_FOUND)) {
				lost(this.of, "the lease is gone");
			}
			else {
				// jetcd restarts the stream by itself; if that takes longer than the TTL, onCompleted follows
				logger.debug("Keep-alive of {} interrupted: {}", NodeRegistration.this.description, error.getMessage());
				NodeRegistration.this.etcd.streamFailed(error);
			}
		}

		@Override
		public void onCompleted() {
			lost(this.of, "the lease keep-alive ended");
		}

	}

	/** Reacts to the deletion of the key and to etcd coming back without its data. */
	private final class KeyListener implements Watch.Listener {

		private final int of;

		KeyListener(int of) {
			this.of = of;
		}

		@Override
		public void onNext(WatchResponse response) {
			NodeRegistration.this.etcd.streamAnswered();
			long known = NodeRegistration.this.putRevision;
			if (response.isCreatedNotify() && response.getHeader().getRevision() < known) {
				lost(this.of, "etcd's revision went back: it lost its data");
				return;
			}
			for (WatchEvent event : response.getEvents()) {
				if (event.getEventType() == WatchEvent.EventType.DELETE
						&& event.getKeyValue().getModRevision() > known) {
					lost(this.of, "the key was deleted");
					return;
				}
			}
		}

		@Override
		public void onError(Throwable error) {
			logger.debug("Watch of the registration of {} interrupted: {}", NodeRegistration.this.description,
					error.getMessage());
			NodeRegistration.this.etcd.streamFailed(error);
		}

		@Override
		public void onCompleted() {
			lost(this.of, "the watch of the key ended");
		}

	}

}
