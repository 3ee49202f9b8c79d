package io.micro4j.internal;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import io.micro4j.testsupport.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class OutageLogTests {

	@RegisterExtension
	final LogCapture log = new LogCapture("test.outage");

	private final AtomicLong nanos = new AtomicLong(1_000);

	@Test
	void logsOneWarnPerOutageAndOneInfoOnRecovery() {
		OutageLog outage = new OutageLog(this.log.logger(), "etcd registry at 127.0.0.1:2379", this.nanos::get);
		assertThat(outage.recovered()).isFalse();
		assertThat(outage.failed(new RuntimeException("UNAVAILABLE", new ConnectException("Connection refused"))))
			.isTrue();
		for (int i = 0; i < 100; i++) {
			assertThat(outage.failed(new RuntimeException("again"))).isFalse();
		}
		this.nanos.addAndGet(31_400_000_000L);
		assertThat(outage.isFailing()).isTrue();
		assertThat(outage.recovered()).isTrue();
		assertThat(outage.recovered()).isFalse();
		assertThat(outage.isFailing()).isFalse();
		assertThat(this.log.lines()).containsExactly(
				"WARN etcd registry at 127.0.0.1:2379 is unreachable: RuntimeException: UNAVAILABLE; caused by ConnectException: Connection refused",
				"INFO etcd registry at 127.0.0.1:2379 is reachable again after 31.4 s");
	}

	@Test
	void escapesTheCause() {
		OutageLog outage = new OutageLog(this.log.logger(), "broker");
		outage.failed(new RuntimeException("bad\r\nINFO forged line"));
		assertThat(this.log.lines()).singleElement().asString().doesNotContain("\n").contains("bad\\r\\nINFO forged line");
	}

	@Test
	void concurrentReportsLogOnce() throws InterruptedException {
		OutageLog outage = new OutageLog(this.log.logger(), "port 1234");
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			Thread thread = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				for (int n = 0; n < 1000; n++) {
					outage.failed("too many open files", "cannot accept connections");
				}
			});
			thread.start();
			threads.add(thread);
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(this.log.lines()).containsExactly("WARN port 1234 cannot accept connections: too many open files");
	}

	static {
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("test.outage")).setLevel(Level.INFO);
	}

}
