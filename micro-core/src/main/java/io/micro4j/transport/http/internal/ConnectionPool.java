package io.micro4j.transport.http.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

/**
 * Idle keep-alive connections per address, most recently used first.
 * <p>
 * At most {@code maxIdle} connections are kept per address; a connection idle for longer than the TTL is closed,
 * found either when borrowing or by {@link #sweep()}. Every change to one address's queue runs inside
 * {@link ConcurrentHashMap#compute}, so the pool needs no other lock. Thread-safe.
 */
public final class ConnectionPool {

	private record Idle(Channel channel, long since) {
	}

	private final ConcurrentHashMap<String, Deque<Idle>> idle = new ConcurrentHashMap<>();

	private final int maxIdle;

	private final long ttlNanos;

	private volatile boolean closed;

	public ConnectionPool(int maxIdle, long ttlNanos) {
		this.maxIdle = maxIdle;
		this.ttlNanos = ttlNanos;
	}

	/**
	 * An idle, open connection to {@code address}, or {@code null}; expired and closed ones met on the way are
	 * closed and dropped.
	 */
	public @Nullable Channel borrow(String address) {
		Channel[] found = new Channel[1];
		List<Channel> stale = new ArrayList<>(0);
		this.idle.computeIfPresent(address, (key, queue) -> {
			long now = System.nanoTime();
			Idle entry;
			while ((entry = queue.pollFirst()) != null) {
				if (usable(entry, now)) {
					found[0] = entry.channel();
					break;
				}
				stale.add(entry.channel());
			}
			return queue.isEmpty() ? null : queue;
		});
		closeAll(stale);
		return found[0];
	}

	/**
	 * Returns a connection that finished an exchange cleanly; it is closed instead when the pool is closed or full,
	 * or the connection is no longer open.
	 */
	public void release(String address, Channel channel) {
		if (this.closed || !channel.isActive()) {
			channel.close();
			return;
		}
		boolean[] kept = new boolean[1];
		this.idle.compute(address, (key, queue) -> {
			Deque<Idle> q = (queue != null) ? queue : new ArrayDeque<>();
			if (q.size() < this.maxIdle) {
				q.addFirst(new Idle(channel, System.nanoTime()));
				kept[0] = true;
			}
			return q.isEmpty() ? null : q;
		});
		if (!kept[0]) {
			channel.close();
		}
		else if (this.closed) {
			closeAll();
		}
	}

	/** Forgets {@code channel} if it is idle here (it was closed by the other side). */
	public void remove(String address, Channel channel) {
		this.idle.computeIfPresent(address, (key, queue) -> {
			queue.removeIf(entry -> entry.channel() == channel);
			return queue.isEmpty() ? null : queue;
		});
	}

	/** Closes connections idle for longer than the TTL and drops closed ones. */
	public void sweep() {
		long now = System.nanoTime();
		List<Channel> stale = new ArrayList<>(0);
		for (String address : this.idle.keySet()) {
			this.idle.computeIfPresent(address, (key, queue) -> {
				queue.removeIf(entry -> {
					if (usable(entry, now)) {
						return false;
					}
					stale.add(entry.channel());
					return true;
				});
				return queue.isEmpty() ? null : queue;
			});
		}
		closeAll(stale);
	}

	/** Closes every idle connection; connections released from now on are closed at once. */
	public void closeAll() {
		this.closed = true;
		List<Channel> all = new ArrayList<>();
		for (String address : this.idle.keySet()) {
			this.idle.computeIfPresent(address, (key, queue) -> {
				queue.forEach(entry -> all.add(entry.channel()));
				return null;
			});
		}
		closeAll(all);
	}

	/** Closing runs outside {@code compute}: a close on the event loop re-enters {@link #remove}. */
	private static void closeAll(List<Channel> channels) {
		for (Channel channel : channels) {
			channel.close();
		}
	}

	/** How many idle connections to {@code address} are kept now. */
	public int idleCount(String address) {
		int[] count = new int[1];
		this.idle.computeIfPresent(address, (key, queue) -> {
			count[0] = queue.size();
			return queue;
		});
		return count[0];
	}

	private boolean usable(Idle entry, long now) {
		return entry.channel().isActive() && now - entry.since() <= this.ttlNanos;
	}

}
