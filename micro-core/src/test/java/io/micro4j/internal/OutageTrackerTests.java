package io.micro4j.internal;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import io.micro4j.registry.Reachability;
import io.micro4j.testsupport.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class OutageTrackerTests {

	private static final Instant T0 = Instant.parse("2026-12-05T07:00:00Z");

	@RegisterExtension
	final LogCapture log = new LogCapture("test.outage.tracker");

	private final AtomicLong nanos = new AtomicLong(1_000);

	private OutageTracker tracker() {
		return new OutageTracker(new OutageLog(this.log.logger(), "etcd registry at http://127.0.0.1:2379", this.nanos::get),
				Clock.fixed(T0, ZoneOffset.UTC));
	}

	@Test
	void whenAnExchangeFailsThenTheStateSaysSinceWhenAndWhyUntilOneSucceeds() {
		OutageTracker tracker = tracker();
		assertThat(tracker.reachability()).isEqualTo(Reachability.up());

		tracker.failed(new ConnectException("Connection refused"));
		tracker.failed(new IllegalStateException("later failure"));

		assertThat(tracker.isFailing()).isTrue();
		assertThat(tracker.reachability())
			.isEqualTo(Reachability.unreachable(T0, "ConnectException: Connection refused"));

		this.nanos.addAndGet(30_000_000_000L);
		tracker.recovered();
		tracker.recovered();

		assertThat(tracker.reachability()).isEqualTo(Reachability.up());
		assertThat(this.log.lines()).containsExactly(
				"WARN etcd registry at http://127.0.0.1:2379 is unreachable: ConnectException: Connection refused",
				"INFO etcd registry at http://127.0.0.1:2379 is reachable again after 30.0 s");
	}

	@Test
	void whenManyThreadsReportTheSameOutageThenOneWarnAndOneInfoAreLogged() throws Exception {
		OutageTracker tracker = tracker();
		CountDownLatch go = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			Thread thread = new Thread(() -> {
				try {
					go.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				for (int j = 0; j < 1000; j++) {
					tracker.failed(new ConnectException("refused"));
				}
			});
			threads.add(thread);
			thread.start();
		}
		go.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		tracker.recovered();

		assertThat(this.log.lines()).hasSize(2);
		assertThat(tracker.isFailing()).isFalse();
	}

}
