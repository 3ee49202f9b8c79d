package io.micro4j.registry.etcd.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryEvent;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.Service;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registry watch on one key prefix: every event of every etcd watch response becomes a {@link RegistryEvent}.
 * <p>
 * It starts from a listing: the watch begins at the listing's revision + 1, so nothing between the two is missed,
 * and the listed records are remembered (key → record and revision). A put is a {@code create} when etcd says it
 * is the key's first version and an {@code update} otherwise; a delete carries the record decoded from the
 * previous value (or the remembered record when etcd sends none). Events at or below the revision already handled
 * are dropped, since jetcd may replay some after it resumed a broken stream. Records that do not parse are skipped
 * (see {@link RecordReader}).
 * <p>
 * jetcd resumes the stream by itself after transient errors. When etcd answers that the start revision was
 * compacted, when jetcd gives up, or when the revision etcd reports went back (etcd restarted without its data),
 * the watch lists the prefix again, delivers the differences to the remembered records as events, and watches on
 * from the new listing. If that listing fails, the listener's {@link RegistryListener#onError onError} is called and
 * the watch ends; the caller watches again (the registry cache does so with back-off).
 * <p>
 * All state changes and all deliveries happen on the given single-threaded executor, in order.
 */
public final class PrefixWatch implements Registry.Watch {

	private static final Logger logger = LoggerFactory.getLogger(PrefixWatch.class);

	private final EtcdConnection etcd;

	private final Executor dispatcher;

	private final ByteSequence prefix;

	private final RegistryListener listener;

	private final RecordReader reader;

	/** key → the record last seen for it; touched on the dispatcher only. */
	private final Map<ByteSequence, Known> known = new HashMap<>();

	/** The highest revision handled; touched on the dispatcher only. */
	private long revision;

	/** Incremented when the jetcd watcher is replaced; callbacks of older watchers are ignored. */
	private int generation;

	private Watch.@Nullable Watcher watcher;

	private boolean resyncing;

	private volatile boolean closed;

	private PrefixWatch(EtcdConnection etcd, Executor dispatcher, ByteSequence prefix, RegistryListener listener,
			RecordReader reader) {
		this.etcd = etcd;
		this.dispatcher = dispatcher;
		this.prefix = prefix;
		this.listener = listener;
		this.reader = reader;
	}

	/**
	 * Lists {@code prefix} and starts watching it.
	 * @param dispatcher a single-threaded executor on which events are delivered
	 * @throws RegistryException if the listing fails
	 */
	public static PrefixWatch start(EtcdConnection etcd, Executor dispatcher, ByteSequence prefix,
			RegistryListener listener, RecordReader reader) {
		PrefixWatch watch = new PrefixWatch(etcd, dispatcher, prefix, listener, reader);
		GetResponse listing = etcd.getPrefix(prefix);
		watch.runOnDispatcher(() -> watch.begin(listing, false));
		return watch;
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		runOnDispatcher(this::stopWatcher);
	}

	/** Takes {@code listing} as the known state (announcing differences if {@code announce}) and watches on. */
	private void begin(GetResponse listing, boolean announce) {
		if (this.closed) {
			return;
		}
		Map<ByteSequence, Known> listed = new HashMap<>();
		for (KeyValue kv : listing.getKvs()) {
			Service service = this.reader.read(kv);
			if (service != null) {
				listed.put(kv.getKey(), new Known(service, kv.getModRevision()));
			}
		}
		if (announce) {
			announceDifferences(listed);
		}
		this.known.clear();
		this.known.putAll(listed);
		this.revision = listing.getHeader().getRevision();
		stopWatcher();
		int current = this.generation;
		WatchOption option = WatchOption.builder()
			.isPrefix(true)
			.withPrevKV(true)
			.withCreateNotify(true)
			.withRevision(this.revision + 1)
			.build();
		try {
			this.watcher = this.etcd.watch(this.prefix, option, new Listener(current));
		}
		catch (RuntimeException ex) {
			fail(this.etcd.failure("watch " + this.prefix, ex));
		}
	}

	private void announceDifferences(Map<ByteSequence, Known> listed) {
		for (Map.Entry<ByteSequence, Known> entry : this.known.entrySet()) {
			if (!listed.containsKey(entry.getKey())) {
				deliver(RegistryEvent.Type.DELETE, entry.getValue().service());
			}
		}
		for (Map.Entry<ByteSequence, Known> entry : listed.entrySet()) {
			Known before = this.known.get(entry.getKey());
			if (before == null) {
				deliver(RegistryEvent.Type.CREATE, entry.getValue().service());
			}
			else if (before.modRevision() != entry.getValue().modRevision()
					&& !before.service().equals(entry.getValue().service())) {
				deliver(RegistryEvent.Type.UPDATE, entry.getValue().service());
			}
		}
	}

	private void handle(int of, WatchResponse response) {
		if (this.closed || of != this.generation) {
			return;
		}
		this.etcd.streamAnswered();
		if (response.isCreatedNotify()) {
			if (response.getHeader().getRevision() < this.revision) {
				logger.info("etcd at {} is at revision {}, behind the {} already seen: it lost its data; listing {} "
						+ "again", this.etcd.endpoints(), response.getHeader().getRevision(), this.revision,
						this.prefix);
				resync();
			}
			return;
		}
		long handled = this.revision;
		long highest = handled;
		for (WatchEvent event : response.getEvents()) {
			KeyValue kv = event.getKeyValue();
			long modRevision = kv.getModRevision();
			if (modRevision <= handled) {
				continue;
			}
			highest = Math.max(highest, modRevision);
			if (event.getEventType() == WatchEvent.EventType.PUT) {
				Service service = this.reader.read(kv);
				if (service == null) {
					continue;
				}
				Known before = this.known.put(kv.getKey(), new Known(service, modRevision));
				boolean create = kv.getVersion() == 1 || before == null;
				deliver(create ? RegistryEvent.Type.CREATE : RegistryEvent.Type.UPDATE, service);
			}
			else if (event.getEventType() == WatchEvent.EventType.DELETE) {
				Known before = this.known.remove(kv.getKey());
				KeyValue previous = event.getPrevKV();
				Service service = (previous != null && !previous.getValue().isEmpty()) ? this.reader.read(previous)
						: null;
				if (service == null && before != null) {
					service = before.service();
				}
				if (service != null) {
					deliver(RegistryEvent.Type.DELETE, service);
				}
			}
		}
		this.revision = highest;
	}

	private void failed(int of, Throwable error) {
		if (this.closed || of != this.generation) {
			return;
		}
		if (error instanceof CompactedException compacted) {
			logger.info("Watch of {} fell behind compaction (revision {}); listing it again", this.prefix,
					compacted.getCompactedRevision());
			resync();
		}
		else {
			logger.debug("Watch of {} interrupted, jetcd resumes it: {}", this.prefix, error.getMessage());
			this.etcd.streamFailed(error);
		}
	}

	private void ended(int of) {
		if (this.closed || of != this.generation) {
			return;
		}
		logger.info("Watch of {} was ended by jetcd; listing it again", this.prefix);
		resync();
	}

	/** Lists the prefix again, then announces the differences and watches from the new revision. */
	private void resync() {
		if (this.resyncing || this.closed) {
			return;
		}
		this.resyncing = true;
		stopWatcher();
		this.etcd.getPrefixAsync(this.prefix).whenComplete((listing, error) -> runOnDispatcher(() -> {
			this.resyncing = false;
			if (error != null) {
				fail(error);
			}
			else {
				begin(listing, true);
			}
		}));
	}

	private void fail(Throwable error) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		stopWatcher();
		RegistryException failure = (error instanceof RegistryException registry) ? registry
				: this.etcd.failure("watch " + this.prefix, error);
		logger.debug("Watch of {} failed: {}", this.prefix, failure.getMessage());
		try {
			this.listener.onError(failure);
		}
		catch (RuntimeException ex) {
			logger.warn("Registry watch listener failed on an error", ex);
		}
	}

	private void stopWatcher() {
		this.generation++;
		Watch.Watcher old = this.watcher;
		this.watcher = null;
		if (old != null) {
			old.close();
		}
	}

	private void deliver(RegistryEvent.Type type, Service service) {
		if (this.closed) {
			return;
		}
		try {
			this.listener.onEvent(new RegistryEvent(type, service));
		}
		catch (RuntimeException ex) {
			logger.warn("Registry watch listener failed on {} of {}", type.action(), service.name(), ex);
		}
	}

	private void runOnDispatcher(Runnable task) {
		try {
			this.dispatcher.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// the registry is closing
		}
	}

	/** A record seen, with the revision of its last change. */
	private record Known(Service service, long modRevision) {

		Known {
			Objects.requireNonNull(service, "service");
		}

	}

	/** Hands jetcd's callbacks to the dispatcher. */
	private final class Listener implements Watch.Listener {

		private final int of;

		Listener(int of) {
			this.of = of;
		}

		@Override
		public void onNext(WatchResponse response) {
			runOnDispatcher(() -> handle(this.of, response));
		}

		@Override
		public void onError(Throwable error) {
			runOnDispatcher(() -> failed(this.of, error));
		}

		@Override
		public void onCompleted() {
			runOnDispatcher(() -> ended(this.of));
		}

	}

}
