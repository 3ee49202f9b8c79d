package io.micro4j.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RegistryCacheTests {

	private static final Node NODE_1 = Node.of("greeter-1", "127.0.0.1:8001");

	private static final Node NODE_2 = Node.of("greeter-2", "127.0.0.1:8002");

	private final FakeRegistry delegate = new FakeRegistry();

	private final List<RegistryCache> caches = new ArrayList<>();

	private final ch.qos.logback.classic.Logger cacheLogger = (ch.qos.logback.classic.Logger) LoggerFactory
		.getLogger(RegistryCache.class);

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	@AfterEach
	void closeCaches() {
		this.caches.forEach(RegistryCache::close);
		this.cacheLogger.detachAppender(this.log);
	}

	private RegistryCache cache(RegistryCache.Builder builder) {
		RegistryCache cache = builder.build();
		this.caches.add(cache);
		return cache;
	}

	private RegistryCache cache() {
		return cache(RegistryCache.builder(this.delegate));
	}

	private static Service greeter(Node... nodes) {
		return Service.of("greeter", "latest", List.of(nodes));
	}

	@Test
	void whenServiceIsLookedUpAgainWhileItsWatchWorksThenDelegateIsReadOnce() {
		this.delegate.put(greeter(NODE_1));
		RegistryCache cache = cache();

		List<Service> first = cache.getService("greeter");
		List<Service> second = cache.getService("greeter");

		assertThat(first).containsExactly(greeter(NODE_1));
		assertThat(second).isEqualTo(first);
		assertThat(this.delegate.reads.get()).isEqualTo(1);
		assertThat(this.delegate.watchesStarted.get()).isEqualTo(1);
	}

	@Test
	void whenDelegateFailsThenLastKnownNodesAreServedAndWarnedAboutOncePerOutage() {
		ListAppender<ILoggingEvent> log = captureLog();
		this.delegate.put(greeter(NODE_1));
		this.delegate.failWatches = true;
		RegistryCache cache = cache(RegistryCache.builder(this.delegate).ttl(Duration.ZERO).readRetry(Duration.ZERO));
		assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_1));

		this.delegate.failure = new RegistryException("etcd is down");
		for (int i = 0; i < 5; i++) {
			assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_1));
		}

		assertThat(this.delegate.reads.get()).isEqualTo(6);
		assertThat(log.list).filteredOn(event -> event.getLevel() == Level.WARN).hasSize(1);

		this.delegate.failure = null;
		this.delegate.put(greeter(NODE_1, NODE_2));
		assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_1, NODE_2));

		this.delegate.failure = new RegistryException("etcd is down again");
		assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_1, NODE_2));
		assertThat(log.list).filteredOn(event -> event.getLevel() == Level.WARN).hasSize(2);
	}

	@Test
	void whenReadHasFailedThenDelegateIsNotAskedAgainBeforeTheRetryInterval() {
		this.delegate.put(greeter(NODE_1));
		this.delegate.failWatches = true;
		RegistryCache cache = cache(RegistryCache.builder(this.delegate).ttl(Duration.ZERO));
		cache.getService("greeter");
		this.delegate.failure = new RegistryException("etcd is down");

		for (int i = 0; i < 10; i++) {
			assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_1));
		}

		assertThat(this.delegate.reads.get()).isEqualTo(2);
	}

	@Test
	void whenDelegateFailsAndNothingIsCachedThenLookupThrows() {
		this.delegate.failure = new RegistryException("etcd is down");
		RegistryCache cache = cache();

		assertThatThrownBy(() -> cache.getService("greeter")).isInstanceOf(RegistryException.class)
			.hasMessageContaining("etcd is down");
	}

	@Test
	void whenDelegateThrowsSomethingElseAndNothingIsCachedThenLookupThrowsRegistryException() {
		this.delegate.failure = new IllegalStateException("boom");
		RegistryCache cache = cache();

		assertThatThrownBy(() -> cache.getService("greeter")).isInstanceOf(RegistryException.class)
			.hasRootCauseInstanceOf(IllegalStateException.class);
	}

	@Test
	void whenWatchReportsCreateThenNodeIsAddedWithoutReadingTheDelegate() {
		this.delegate.put(greeter(NODE_1));
		RegistryCache cache = cache();
		cache.getService("greeter");

		this.delegate.fire(new RegistryEvent(RegistryEvent.Type.CREATE, greeter(NODE_2)));

		assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_1, NODE_2));
		assertThat(this.delegate.reads.get()).isEqualTo(1);
	}

	@Test
	void whenWatchReportsUpdateThenNodeAndServiceFieldsAreReplaced() {
		this.delegate.put(greeter(NODE_1, NODE_2));
		RegistryCache cache = cache();
		cache.getService("greeter");
		Endpoint hello = new Endpoint("Greeter.Hello", null, null, Map.of());
		Node moved = Node.of("greeter-2", "127.0.0.1:9002");
		Service update = new Service("greeter", "latest", Map.of("team", "a"), List.of(hello), List.of(moved));

		this.delegate.fire(new RegistryEvent(RegistryEvent.Type.UPDATE, update));

		assertThat(cache.getService("greeter")).containsExactly(
				new Service("greeter", "latest", Map.of("team", "a"), List.of(hello), List.of(NODE_1, moved)));
	}

	@Test
	void whenWatchReportsUpdateInAnotherVersionThenNodeLeavesItsOldVersion() {
		this.delegate.put(greeter(NODE_1, NODE_2));
		RegistryCache cache = cache();
		cache.getService("greeter");

		this.delegate.fire(new RegistryEvent(RegistryEvent.Type.UPDATE, Service.of("greeter", "v2", List.of(NODE_2))));

		assertThat(cache.getService("greeter")).containsExactlyInAnyOrder(greeter(NODE_1),
				Service.of("greeter", "v2", List.of(NODE_2)));
	}

	@Test
	void whenWatchReportsDeleteThenNodeIsRemovedAndAnEmptyVersionDisappears() {
		this.delegate.put(greeter(NODE_1, NODE_2));
		this.delegate.put(Service.of("greeter", "v2", List.of(Node.of("greeter-3", "127.0.0.1:8003"))));
		RegistryCache cache = cache();
		cache.getService("greeter");

		this.delegate.fire(new RegistryEvent(RegistryEvent.Type.DELETE, greeter(NODE_1)));
		this.delegate.fire(new RegistryEvent(RegistryEvent.Type.DELETE,
				Service.of("greeter", "v2", List.of(Node.of("greeter-3", "127.0.0.1:8003")))));

		assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_2));
	}

	@Test
	void whenServiceIsUnknownThenEmptyAnswerIsCachedAndAWatchCreateFillsIt() {
		RegistryCache cache = cache();
		assertThat(cache.getService("greeter")).isEmpty();
		assertThat(cache.getService("greeter")).isEmpty();
		assertThat(this.delegate.reads.get()).isEqualTo(1);

		this.delegate.fire(new RegistryEvent(RegistryEvent.Type.CREATE, greeter(NODE_1)));

		assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_1));
		assertThat(this.delegate.reads.get()).isEqualTo(1);
	}

	@Test
	void whenEmptyAnswerIsOlderThanTheNotFoundTtlThenDelegateIsReadAgain() {
		RegistryCache cache = cache(RegistryCache.builder(this.delegate).ttl(Duration.ofMillis(50)));
		assertThat(cache.getService("greeter")).isEmpty();
		this.delegate.put(greeter(NODE_1));

		await().atMost(Duration.ofSeconds(5)).until(() -> !cache.getService("greeter").isEmpty());

		assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_1));
	}

	@Test
	void whenEntryIsOlderThanTtlAndNoWatchWorksThenItIsReadAgain() {
		this.delegate.put(greeter(NODE_1));
		this.delegate.failWatches = true;
		RegistryCache cache = cache(RegistryCache.builder(this.delegate).ttl(Duration.ofMillis(100)));
		assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_1));
		this.delegate.put(greeter(NODE_1, NODE_2));

		await().atMost(Duration.ofSeconds(5)).until(() -> cache.getService("greeter").equals(List.of(greeter(NODE_1, NODE_2))));

		assertThat(this.delegate.reads.get()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void whenManyLookupsMissAtOnceThenDelegateIsReadOnce() throws Exception {
		this.delegate.put(greeter(NODE_1));
		CountDownLatch release = new CountDownLatch(1);
		this.delegate.readGate = release;
		RegistryCache cache = cache();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Thread> threads = new CopyOnWriteArrayList<>();
		try {
			List<Future<List<Service>>> results = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				results.add(pool.submit(() -> {
					threads.add(Thread.currentThread());
					return cache.getService("greeter");
				}));
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> threads.size() == 8 && threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));

			release.countDown();

			for (Future<List<Service>> result : results) {
				assertThat(result.get(10, TimeUnit.SECONDS)).containsExactly(greeter(NODE_1));
			}
			assertThat(this.delegate.reads.get()).isEqualTo(1);
		}
		finally {
			release.countDown();
			pool.shutdownNow();
		}
	}

	@Test
	void whenEventArrivesDuringTheFirstReadThenItIsAppliedOnTopOfTheRead() throws Exception {
		this.delegate.put(greeter(NODE_1));
		CountDownLatch release = new CountDownLatch(1);
		this.delegate.readGate = release;
		RegistryCache cache = cache();
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			Future<List<Service>> lookup = pool.submit(() -> cache.getService("greeter"));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.delegate.readsStarted.get() == 1);

			this.delegate.fire(new RegistryEvent(RegistryEvent.Type.CREATE, greeter(NODE_2)));
			release.countDown();

			assertThat(lookup.get(10, TimeUnit.SECONDS)).containsExactly(greeter(NODE_1, NODE_2));
		}
		finally {
			release.countDown();
			pool.shutdownNow();
		}
	}

	@Test
	void whenWatchFailsThenCacheWatchesAgainAndReadsAgain() {
		this.delegate.put(greeter(NODE_1));
		RegistryCache cache = cache();
		cache.getService("greeter");
		this.delegate.put(greeter(NODE_1, NODE_2));

		this.delegate.failWatch(new RegistryException("watch stream broke"));

		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.delegate.watchesStarted.get() == 2 && this.delegate.reads.get() == 2);
		assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_1, NODE_2));
		assertThat(this.delegate.closedWatches.get()).isEqualTo(1);
	}

	@Test
	void whenWatchCannotBeStartedThenItIsRetriedWithBackOff() {
		this.delegate.put(greeter(NODE_1));
		this.delegate.failWatches = true;
		RegistryCache cache = cache();
		cache.getService("greeter");

		await().atMost(Duration.ofSeconds(10)).until(() -> this.delegate.watchAttempts.get() >= 3);
		this.delegate.failWatches = false;
		await().atMost(Duration.ofSeconds(30)).until(() -> this.delegate.watchesStarted.get() == 1);

		this.delegate.fire(new RegistryEvent(RegistryEvent.Type.CREATE, greeter(NODE_2)));
		assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_1, NODE_2));
	}

	@Test
	void whenEventOfAnOldWatchArrivesAfterReWatchThenItIsIgnored() {
		this.delegate.put(greeter(NODE_1));
		RegistryCache cache = cache();
		cache.getService("greeter");
		RegistryListener oldListener = this.delegate.listeners.get(0);
		this.delegate.failWatch(new RegistryException("watch stream broke"));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.delegate.reads.get() == 2);

		oldListener.onEvent(new RegistryEvent(RegistryEvent.Type.CREATE, greeter(NODE_2)));

		assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_1));
	}

	@Test
	void cachedServicesAreTheLookedUpServicesAsTheCacheServesThemWithoutReadingTheDelegate() {
		this.delegate.put(greeter(NODE_1));
		this.delegate.put(Service.of("other", "latest", List.of(NODE_2)));
		RegistryCache cache = cache();
		assertThat(cache.cachedServices()).isEmpty();
		cache.getService("greeter");
		this.delegate.failure = new RegistryException("etcd is down");
		assertThatThrownBy(() -> cache.getService("never-read")).isInstanceOf(RegistryException.class);

		this.delegate.fire(new RegistryEvent(RegistryEvent.Type.CREATE, greeter(NODE_2)));
		int reads = this.delegate.reads.get();

		assertThat(cache.cachedServices()).containsOnlyKeys("greeter");
		assertThat(cache.cachedServices().get("greeter")).containsExactly(greeter(NODE_1, NODE_2));
		assertThat(this.delegate.reads.get()).isEqualTo(reads);
		cache.close();
		assertThat(cache.cachedServices()).isEmpty();
	}

	@Test
	void whenCacheIsClosedThenItsWatchesAreClosed() {
		this.delegate.put(greeter(NODE_1));
		this.delegate.put(Service.of("other", "latest", List.of(NODE_2)));
		RegistryCache cache = cache();
		cache.getService("greeter");
		cache.getService("other");

		cache.close();
		cache.close();

		assertThat(this.delegate.closedWatches.get()).isEqualTo(2);
		assertThat(cache.getService("greeter")).containsExactly(greeter(NODE_1));
	}

	@Test
	void whenWritingThroughTheCacheThenTheDelegateIsWritten() {
		RegistryCache cache = cache();

		cache.register(greeter(NODE_1), Duration.ofSeconds(30));
		assertThat(this.delegate.getService("greeter")).containsExactly(greeter(NODE_1));
		cache.deregister(greeter(NODE_1));

		assertThat(this.delegate.getService("greeter")).isEmpty();
		assertThat(cache.name()).isEqualTo("fake");
	}

	@Test
	void whenTtlIsNegativeThenBuilderRejectsIt() {
		assertThatThrownBy(() -> RegistryCache.builder(this.delegate).ttl(Duration.ofSeconds(-1)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("ttl: PT-1S (expected: >= 0)");
	}

	private ListAppender<ILoggingEvent> captureLog() {
		this.log.start();
		this.cacheLogger.addAppender(this.log);
		return this.log;
	}

	/**
	 * A registry whose answers, failures and watch events the test controls. Events are delivered on the caller's
	 * thread by {@link #fire}.
	 */
	static final class FakeRegistry implements Registry {

		final Map<String, Map<String, Service>> services = new ConcurrentHashMap<>();

		final AtomicInteger reads = new AtomicInteger();

		final AtomicInteger readsStarted = new AtomicInteger();

		final AtomicInteger watchAttempts = new AtomicInteger();

		final AtomicInteger watchesStarted = new AtomicInteger();

		final AtomicInteger closedWatches = new AtomicInteger();

		final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();

		volatile @Nullable RuntimeException failure;

		volatile boolean failWatches;

		volatile @Nullable CountDownLatch readGate;

		void put(Service service) {
			this.services.computeIfAbsent(service.name(), n -> new ConcurrentHashMap<>()).put(service.version(), service);
		}

		void fire(RegistryEvent event) {
			this.listeners.forEach(listener -> listener.onEvent(event));
		}

		void failWatch(Throwable error) {
			List<RegistryListener> current = List.copyOf(this.listeners);
			this.listeners.clear();
			current.forEach(listener -> listener.onError(error));
		}

		@Override
		public String name() {
			return "fake";
		}

		@Override
		public void register(Service service, Duration ttl) {
			put(service);
		}

		@Override
		public void deregister(Service service) {
			Map<String, Service> versions = this.services.get(service.name());
			if (versions != null) {
				versions.remove(service.version());
			}
		}

		@Override
		public List<Service> getService(String name) {
			this.readsStarted.incrementAndGet();
			CountDownLatch gate = this.readGate;
			if (gate != null) {
				try {
					gate.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.reads.incrementAndGet();
			RuntimeException error = this.failure;
			if (error != null) {
				throw error;
			}
			Map<String, Service> versions = this.services.get(name);
			return (versions != null) ? List.copyOf(versions.values()) : List.of();
		}

		@Override
		public List<Service> listServices() {
			return this.services.values().stream().flatMap(v -> v.values().stream()).toList();
		}

		@Override
		public Watch watch(@Nullable String service, RegistryListener listener) {
			this.watchAttempts.incrementAndGet();
			if (this.failWatches) {
				throw new RegistryException("cannot watch");
			}
			this.watchesStarted.incrementAndGet();
			this.listeners.add(listener);
			return () -> {
				this.listeners.remove(listener);
				this.closedWatches.incrementAndGet();
			};
		}

		@Override
		public void close() {
		}

	}

}
