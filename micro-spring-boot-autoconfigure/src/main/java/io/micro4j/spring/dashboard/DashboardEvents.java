package io.micro4j.spring.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micro4j.errors.MicroException;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryEvent;
import io.micro4j.registry.RegistryListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard's live updates: one registry watch (of all services) shared by every open stream, started with the
 * first stream and closed with the last. Each node change goes to every stream as an event {@code change} whose
 * data is a {@link Change}; a failed watch sends {@code resync} (re-read everything) and is started again after
 * {@value #REWATCH_DELAY_MILLIS} ms. Every stream gets a comment line each heartbeat interval, so proxies keep it
 * open and a closed tab is noticed (its stream fails to write and is dropped).
 * <p>
 * Streams are bounded: one more than the limit is refused with a 503. Events are written on the given executor,
 * never on the registry's thread. As a {@link SmartLifecycle} in the last phase, it ends every stream when the
 * context stops, before the web server's graceful shutdown, which would otherwise wait for open tabs.
 */
public final class DashboardEvents implements SmartLifecycle, AutoCloseable {

	/** How long after a failed watch it is started again, in milliseconds. */
	public static final long REWATCH_DELAY_MILLIS = 1000;

	private static final Log logger = LogFactory.getLog(DashboardEvents.class);

	private final Registry registry;

	private final ScheduledExecutorService timer;

	private final Executor sender;

	private final int maxClients;

	private final Duration heartbeatInterval;

	private final Set<SseEmitter> emitters = new CopyOnWriteArraySet<>();

	private final Object lock = new Object();

	private Registry.@Nullable Watch watch;

	private @Nullable Listener listener;

	private @Nullable ScheduledFuture<?> heartbeat;

	private @Nullable ScheduledFuture<?> rewatch;

	private boolean closed;

	/**
	 * Live updates from {@code registry}; {@code timer} schedules heartbeats and watch restarts, {@code sender}
	 * writes to the streams.
	 */
	public DashboardEvents(Registry registry, ScheduledExecutorService timer, Executor sender, int maxClients,
			Duration heartbeatInterval) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.timer = Objects.requireNonNull(timer, "timer");
		this.sender = Objects.requireNonNull(sender, "sender");
		this.maxClients = maxClients;
		this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
	}

	/**
	 * Opens a stream: it first gets an event {@code ready}, then the changes.
	 * @throws MicroException 503 when {@code maxClients} streams are open, or when closed
	 */
	public SseEmitter open() {
		SseEmitter emitter = new SseEmitter(0L);
		synchronized (this.lock) {
			if (this.closed) {
				throw MicroException.serviceUnavailable("micro.dashboard", "the dashboard is shutting down");
			}
			if (this.emitters.size() >= this.maxClients) {
				throw MicroException.serviceUnavailable("micro.dashboard",
						"too many live-update streams: %d open (micro.dashboard.max-clients)", this.emitters.size());
			}
			this.emitters.add(emitter);
			if (this.watch == null && this.rewatch == null) {
				startWatch();
			}
			if (this.heartbeat == null) {
				long millis = this.heartbeatInterval.toMillis();
				this.heartbeat = this.timer.scheduleAtFixedRate(() -> dispatch(this::heartbeat), millis, millis,
						TimeUnit.MILLISECONDS);
			}
		}
		emitter.onCompletion(() -> remove(emitter));
		emitter.onTimeout(() -> remove(emitter));
		emitter.onError((ex) -> remove(emitter));
		send(emitter, () -> SseEmitter.event().name("ready").data(new Ready(this.registry.name()),
				MediaType.APPLICATION_JSON));
		return emitter;
	}

	/** How many streams are open. */
	public int clients() {
		return this.emitters.size();
	}

	/** Whether the shared registry watch is running. */
	public boolean watching() {
		synchronized (this.lock) {
			return this.watch != null;
		}
	}

	@Override
	public void start() {
		synchronized (this.lock) {
			this.closed = false;
		}
	}

	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		synchronized (this.lock) {
			return !this.closed;
		}
	}

	/** Ends every stream and stops the watch; idempotent. New streams are refused until {@link #start()}. */
	@Override
	public void close() {
		synchronized (this.lock) {
			this.closed = true;
		}
		for (SseEmitter emitter : this.emitters) {
			emitter.complete();
			remove(emitter);
		}
	}

	private void remove(SseEmitter emitter) {
		synchronized (this.lock) {
			if (!this.emitters.remove(emitter) || !this.emitters.isEmpty()) {
				return;
			}
			stopWatch();
			if (this.heartbeat != null) {
				this.heartbeat.cancel(false);
				this.heartbeat = null;
			}
		}
	}

	/** Called with the lock held. */
	private void startWatch() {
		this.rewatch = null;
		Listener listener = new Listener();
		try {
			this.watch = this.registry.watch(null, listener);
			this.listener = listener;
		}
		catch (RuntimeException ex) {
			logger.warn("Dashboard: cannot watch the registry (" + ex.getMessage() + "); trying again in "
					+ REWATCH_DELAY_MILLIS + " ms");
			scheduleRewatch();
		}
	}

	/** Called with the lock held. */
	private void stopWatch() {
		if (this.watch != null) {
			this.watch.close();
			this.watch = null;
			this.listener = null;
		}
		if (this.rewatch != null) {
			this.rewatch.cancel(false);
			this.rewatch = null;
		}
	}

	/** Called with the lock held. */
	private void scheduleRewatch() {
		this.rewatch = this.timer.schedule(() -> {
			synchronized (this.lock) {
				if (!this.closed && !this.emitters.isEmpty() && this.watch == null) {
					startWatch();
				}
				else {
					this.rewatch = null;
				}
			}
		}, REWATCH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
	}

	private void watchFailed(Listener listener, Throwable error) {
		synchronized (this.lock) {
			if (this.watch == null || listener != this.listener || this.closed || this.emitters.isEmpty()) {
				return;
			}
			logger.warn("Dashboard: the registry watch failed (" + error.getMessage() + "); watching again in "
					+ REWATCH_DELAY_MILLIS + " ms");
			this.watch.close();
			this.watch = null;
			this.listener = null;
			scheduleRewatch();
		}
		broadcast(() -> SseEmitter.event().name("resync").data(Map.of(), MediaType.APPLICATION_JSON));
	}

	private void heartbeat() {
		for (SseEmitter emitter : this.emitters) {
			send(emitter, () -> SseEmitter.event().comment("heartbeat"));
		}
	}

	/** Sends an event to every stream; each gets its own builder (building one appends to it). */
	private void broadcast(Supplier<SseEmitter.SseEventBuilder> event) {
		dispatch(() -> {
			for (SseEmitter emitter : this.emitters) {
				send(emitter, event);
			}
		});
	}

	private void dispatch(Runnable task) {
		try {
			this.sender.execute(task);
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Dashboard: update dropped, the executor is busy", ex);
		}
	}

	/** Writes to one stream; a stream that cannot be written to (its tab went away) is dropped. */
	private void send(SseEmitter emitter, Supplier<SseEmitter.SseEventBuilder> event) {
		try {
			emitter.send(event.get());
		}
		catch (IOException | IllegalStateException ex) {
			remove(emitter);
			try {
				emitter.completeWithError(ex);
			}
			catch (RuntimeException ignored) {
				// already completed
			}
		}
	}

	/**
	 * A node change, the data of a {@code change} event.
	 * @param type {@code create}, {@code update} or {@code delete}
	 * @param service the service name
	 * @param version the service version
	 * @param nodes the ids of the nodes the change concerns
	 */
	public record Change(String type, String service, String version, List<String> nodes) {

	}

	/**
	 * The first event of a stream.
	 * @param registry the registry's name
	 */
	public record Ready(String registry) {

	}

	private final class Listener implements RegistryListener {

		@Override
		public void onEvent(RegistryEvent event) {
			Change change = new Change(event.type().action(), event.service().name(), event.service().version(),
					event.service().nodes().stream().map(Node::id).toList());
			broadcast(() -> SseEmitter.event().name("change").data(change, MediaType.APPLICATION_JSON));
		}

		@Override
		public void onError(Throwable error) {
			watchFailed(this, error);
		}

	}

}
