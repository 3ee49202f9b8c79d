package io.micro4j.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MicroRuntimeTests {

	@Test
	void threadsAreNamedAfterTheirRole() throws Exception {
		try (MicroRuntime runtime = MicroRuntime.builder().ioThreads(1).build()) {
			assertThat(runtime.eventLoopGroup().submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
				.isEqualTo("micro4j-io-1");
			assertThat(runtime.handlerExecutor().submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
				.isEqualTo("micro4j-handler-1");
			assertThat(CompletableFuture.supplyAsync(() -> Thread.currentThread().getName(), runtime.callbackExecutor())
				.get(5, TimeUnit.SECONDS)).isEqualTo("micro4j-callback-1");
			assertThat(runtime.timer().schedule(() -> Thread.currentThread().getName(), 1, TimeUnit.MILLISECONDS)
				.get(5, TimeUnit.SECONDS)).isEqualTo("micro4j-timer");
		}
	}

	@Test
	void handlerExecutorIsBounded() throws Exception {
		try (MicroRuntime runtime = MicroRuntime.builder().handlerThreads(1).handlerQueueSize(1).build()) {
			CountDownLatch release = new CountDownLatch(1);
			runtime.handlerExecutor().execute(() -> await(release));
			runtime.handlerExecutor().execute(() -> {
			});
			assertThatThrownBy(() -> runtime.handlerExecutor().execute(() -> {
			})).isInstanceOf(RejectedExecutionException.class);
			release.countDown();
		}
	}

	@Test
	void closeEndsEveryThreadAndIsIdempotent() throws Exception {
		MicroRuntime runtime = MicroRuntime.builder().threadNamePrefix("rt-close-").build();
		runtime.eventLoopGroup().submit(() -> null).get(5, TimeUnit.SECONDS);
		runtime.handlerExecutor().submit(() -> null).get(5, TimeUnit.SECONDS);
		CompletableFuture.runAsync(() -> {
		}, runtime.callbackExecutor()).get(5, TimeUnit.SECONDS);
		runtime.timer().schedule(() -> null, 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
		assertThat(liveThreads("rt-close-")).isPositive();
		runtime.close();
		runtime.close();
		assertThat(runtime.isClosed()).isTrue();
		assertThat(runtime.eventLoopGroup().isTerminated()).isTrue();
		assertThat(runtime.handlerExecutor().isTerminated()).isTrue();
		assertThat(runtime.timer().isTerminated()).isTrue();
		// a terminated pool's last worker may still be leaving its run loop for a moment
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> liveThreads("rt-close-") == 0);
	}

	@Test
	void closeFromARuntimeThreadDoesNotWaitForItself() throws Exception {
		MicroRuntime runtime = MicroRuntime.builder().shutdownTimeout(Duration.ofSeconds(30)).build();
		long started = System.nanoTime();
		runtime.timer().schedule(runtime::close, 1, TimeUnit.MILLISECONDS);
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(runtime.handlerExecutor()::isTerminated);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void optionsAreCheckedWhenSet() {
		assertThatIllegalArgumentException().isThrownBy(() -> MicroRuntime.builder().ioThreads(0))
			.withMessageContaining("ioThreads");
		assertThatIllegalArgumentException().isThrownBy(() -> MicroRuntime.builder().handlerQueueSize(0))
			.withMessageContaining("handlerQueueSize");
		assertThatIllegalArgumentException().isThrownBy(() -> MicroRuntime.builder().threadNamePrefix(" "))
			.withMessageContaining("threadNamePrefix");
	}

	private static long liveThreads(String prefix) {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().startsWith(prefix)).count();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
