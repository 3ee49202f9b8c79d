package io.micro4j.broker.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerCounters;
import io.micro4j.broker.BrokerException;
import io.micro4j.broker.BrokerHandler;
import io.micro4j.broker.Event;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.Subscription;
import io.micro4j.broker.internal.Handlers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory {@link Broker} named {@code memory}: the embedded default and the broker of tests.
 * <p>
 * Without a queue every subscription of a topic receives every message; subscriptions sharing a queue name on a
 * topic form a group, and each message goes to exactly one member, taking turns (round robin). Publishing only
 * enqueues: handlers run on the broker's own daemon threads, never on the publisher's, and each subscription
 * receives its messages one at a time in publish order. A handler that throws is logged (with the topic and the
 * {@code Micro-Id} header) and counted in {@link #failedDeliveries()}; the subscription keeps receiving. Messages
 * are not copied: every subscriber sees the same {@link Message} (do not modify its body). Delivery is at most once
 * and nothing survives the process; {@link Event#ack()} does nothing.
 * <p>
 * {@link #close()} (idempotent) stops accepting messages, lets queued messages be handled for up to
 * {@value #CLOSE_DRAIN_MILLIS} ms, then stops the threads. Publishing or subscribing afterwards fails with
 * {@link BrokerException}.
 */
public final class MemoryBroker implements Broker, BrokerCounters {

	/** How long {@link #close()} waits for queued messages to be handled. */
	public static final long CLOSE_DRAIN_MILLIS = 2000;

	private static final Logger logger = LoggerFactory.getLogger(MemoryBroker.class);

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private final Map<String, Topic> topics = new ConcurrentHashMap<>();

	private final ExecutorService executor;

	private final AtomicLong failedDeliveries = new AtomicLong();

	private volatile boolean closed;

	/** A broker with its own (cached, daemon) handler threads: at most one per subscription with queued messages. */
	public MemoryBroker() {
		int instance = INSTANCES.incrementAndGet();
		AtomicInteger threads = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				runnable -> {
					Thread thread = new Thread(runnable,
							"micro-memory-broker-" + instance + "-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
	}

	@Override
	public String name() {
		return "memory";
	}

	/**
	 * Queues {@code message} for every plain subscription of {@code topic} and for one member of each queue group;
	 * without subscribers it is dropped.
	 * @throws BrokerException if the broker is closed
	 */
	@Override
	public void publish(String topic, Message message) {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(message, "message");
		ensureOpen();
		Topic subscribers = this.topics.get(topic);
		if (subscribers == null) {
			return;
		}
		for (MemorySubscription subscription : subscribers.plain) {
			subscription.enqueue(message);
		}
		for (QueueGroup group : subscribers.groups.values()) {
			MemorySubscription member = group.next();
			if (member != null) {
				member.enqueue(message);
			}
		}
	}

	/**
	 * Subscribes {@code handler} to {@code topic}, in the queue group of {@code options} if it names one.
	 * @throws BrokerException if the broker is closed
	 */
	@Override
	public Subscription subscribe(String topic, BrokerHandler handler, SubscribeOptions options) {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(handler, "handler");
		Objects.requireNonNull(options, "options");
		ensureOpen();
		MemorySubscription subscription = new MemorySubscription(topic, options.queue(), handler);
		this.topics.compute(topic, (name, existing) -> {
			Topic state = (existing != null) ? existing : new Topic();
			state.add(subscription);
			return state;
		});
		return subscription;
	}

	/** How many deliveries ended with the handler throwing, since the broker was created. */
	public long failedDeliveries() {
		return this.failedDeliveries.get();
	}

	/** The counter {@value BrokerCounters#DELIVERIES_FAILED} ({@link #failedDeliveries()}). */
	@Override
	public Map<String, LongSupplier> counters() {
		return Map.of(DELIVERIES_FAILED, this.failedDeliveries::get);
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.executor.shutdown();
		try {
			if (!this.executor.awaitTermination(CLOSE_DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
				logger.warn("Memory broker closed with messages still being handled after {} ms", CLOSE_DRAIN_MILLIS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.topics.values().forEach(topic -> topic.all().forEach(MemorySubscription::stop));
		this.topics.clear();
		this.executor.shutdownNow();
	}

	private void ensureOpen() {
		if (this.closed) {
			throw new BrokerException("memory broker is closed");
		}
	}

	private void remove(MemorySubscription subscription) {
		this.topics.computeIfPresent(subscription.topic, (name, state) -> {
			state.remove(subscription);
			return state.isEmpty() ? null : state;
		});
	}

	/** The subscriptions of one topic. */
	private static final class Topic {

		private final List<MemorySubscription> plain = new CopyOnWriteArrayList<>();

		private final Map<String, QueueGroup> groups = new ConcurrentHashMap<>();

		void add(MemorySubscription subscription) {
			if (subscription.queue == null) {
				this.plain.add(subscription);
			}
			else {
				this.groups.computeIfAbsent(subscription.queue, q -> new QueueGroup()).members.add(subscription);
			}
		}

		void remove(MemorySubscription subscription) {
			if (subscription.queue == null) {
				this.plain.remove(subscription);
			}
			else {
				this.groups.computeIfPresent(subscription.queue, (q, group) -> {
					group.members.remove(subscription);
					return group.members.isEmpty() ? null : group;
				});
			}
		}

		boolean isEmpty() {
			return this.plain.isEmpty() && this.groups.isEmpty();
		}

		List<MemorySubscription> all() {
			List<MemorySubscription> all = new ArrayList<>(this.plain);
			this.groups.values().forEach(group -> all.addAll(group.members));
			return all;
		}

	}

	/** Subscriptions sharing a queue name; they take turns. */
	private static final class QueueGroup {

		private final List<MemorySubscription> members = new CopyOnWriteArrayList<>();

		private final AtomicLong turn = new AtomicLong();

		@Nullable MemorySubscription next() {
			// retry in case a member leaves between reading the size and the member
			for (int attempt = 0; attempt < 4; attempt++) {
				int size = this.members.size();
				if (size == 0) {
					return null;
				}
				try {
					return this.members.get((int) Math.floorMod(this.turn.getAndIncrement(), (long) size));
				}
				catch (IndexOutOfBoundsException ex) {
					// the group shrank meanwhile
				}
			}
			return null;
		}

	}

	private record MemoryEvent(String topic, Message message) implements Event {

		@Override
		public void ack() {
		}

	}

	/** A subscription with its own queue, drained by at most one broker thread at a time. */
	private final class MemorySubscription implements Subscription {

		private final String topic;

		private final @Nullable String queue;

		private final BrokerHandler handler;

		private final Queue<Message> inbox = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean draining = new AtomicBoolean();

		private volatile boolean stopped;

		MemorySubscription(String topic, @Nullable String queue, BrokerHandler handler) {
			this.topic = topic;
			this.queue = queue;
			this.handler = handler;
		}

		@Override
		public String topic() {
			return this.topic;
		}

		@Override
		public Optional<String> queue() {
			return Optional.ofNullable(this.queue);
		}

		void enqueue(Message message) {
			if (this.stopped) {
				return;
			}
			this.inbox.add(message);
			scheduleDrain();
		}

		private void scheduleDrain() {
			if (this.draining.compareAndSet(false, true)) {
				try {
					MemoryBroker.this.executor.execute(this::drain);
				}
				catch (RejectedExecutionException ex) {
					this.draining.set(false);
					throw new BrokerException("memory broker is closed");
				}
			}
		}

		private void drain() {
			boolean finished = false;
			try {
				while (true) {
					Message message;
					while (!this.stopped && (message = this.inbox.poll()) != null) {
						deliver(message);
					}
					this.draining.set(false);
					// a message queued after the last poll but before the flag was cleared must not be stranded
					if (this.stopped || this.inbox.isEmpty() || !this.draining.compareAndSet(false, true)) {
						finished = true;
						return;
					}
				}
			}
			finally {
				if (!finished) {
					// the thread is dying (a VirtualMachineError): let the next message start another one
					this.draining.set(false);
				}
			}
		}

		private void deliver(Message message) {
			if (!Handlers.deliver(this.handler, new MemoryEvent(this.topic, message), logger)) {
				MemoryBroker.this.failedDeliveries.incrementAndGet();
			}
		}

		void stop() {
			this.stopped = true;
			this.inbox.clear();
		}

		@Override
		public void close() {
			if (this.stopped) {
				return;
			}
			stop();
			remove(this);
		}

	}

}
