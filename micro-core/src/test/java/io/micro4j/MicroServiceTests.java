package io.micro4j;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micro4j.client.Request;
import io.micro4j.registry.Service;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.runtime.MicroRuntime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class MicroServiceTests {

	public record HelloRequest(String name) {
	}

	public record HelloResponse(String greeting, String thread) {
	}

	public static class Greeter {

		public HelloResponse hello(HelloRequest request) {
			return new HelloResponse("Hello " + request.name(), Thread.currentThread().getName());
		}

	}

	@Test
	void oneServiceCallsAnotherThroughOneRegistryAndClosingEndsEveryThreadTheyStarted() throws Exception {
		Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
		try (MemoryRegistry registry = new MemoryRegistry()) {
			MicroService greeter = MicroService.builder("greeter")
				.registry(registry)
				.address("127.0.0.1:0")
				.handler(new Greeter())
				.build()
				.start();
			MicroService caller = MicroService.builder("caller").registry(registry).build();
			HelloResponse sync = caller.client()
				.call(Request.of("greeter", "Greeter.Hello", new HelloRequest("John")), HelloResponse.class);
			CompletableFuture<HelloResponse> async = caller.client()
				.callAsync(Request.of("greeter", "Greeter.Hello", new HelloRequest("Jane")), HelloResponse.class);
			assertThat(sync.greeting()).isEqualTo("Hello John");
			assertThat(sync.thread()).startsWith("micro4j-handler-");
			assertThat(async.get(10, TimeUnit.SECONDS).greeting()).isEqualTo("Hello Jane");
			assertThat(registry.getService("greeter")).flatExtracting(Service::nodes).hasSize(1);
			assertThat(newMicroThreads(before)).anyMatch((name) -> name.startsWith("micro4j-io-"));
			caller.close();
			greeter.close();
			greeter.close();
			assertThat(registry.getService("greeter")).isEmpty();
			assertThat(greeter.runtime().isClosed()).isTrue();
			assertThat(caller.runtime().isClosed()).isTrue();
			// the given registry stays open: its threads are the only micro threads left
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(newMicroThreads(before))
				.allMatch((name) -> name.startsWith("micro-memory-registry-")));
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(newMicroThreads(before)).isEmpty());
	}

	@Test
	void servicesOnAGivenRuntimeLeaveItRunning() {
		try (MicroRuntime runtime = MicroRuntime.builder().ioThreads(1).build();
				MemoryRegistry registry = new MemoryRegistry()) {
			try (MicroService greeter = MicroService.builder("greeter").runtime(runtime).registry(registry)
				.address("127.0.0.1:0").handler(new Greeter()).build().start();
					MicroService caller = MicroService.builder("caller").runtime(runtime).registry(registry).build()) {
				assertThat(caller.client()
					.call(Request.of("greeter", "Greeter.Hello", new HelloRequest("x")), HelloResponse.class)
					.greeting()).isEqualTo("Hello x");
			}
			assertThat(runtime.isClosed()).isFalse();
			assertThat(runtime.eventLoopGroup().isShuttingDown()).isFalse();
		}
	}

	@Test
	void aClosedServiceCannotStart() {
		MicroService service = MicroService.builder("greeter").build();
		service.close();
		assertThatIllegalStateException().isThrownBy(service::start).withMessageContaining("closed");
	}

	@Test
	void aBadHandlerFailsTheBuildAndLeavesNoThreads() {
		Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MicroService.builder("greeter").handler(new Object() {
			}).build());
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(newMicroThreads(before)).isEmpty());
	}

	private static List<String> newMicroThreads(Set<Thread> before) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> !before.contains(thread) && thread.isAlive())
			.map(Thread::getName)
			.filter((name) -> name.startsWith("micro"))
			.collect(Collectors.toList());
	}

}
