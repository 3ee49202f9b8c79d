package io.micro4j.metadata;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The current {@link CallContext} follows Micrometer's context-propagation: snapshots, wrapped executors and
 * {@code CompletableFuture}s on them carry it, and nothing of it stays on a worker thread afterwards.
 */
class CallContextPropagationTests {

	private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

	/** One worker thread, so a later task sees what an earlier one left behind. */
	private final ExecutorService worker = Executors.newSingleThreadExecutor();

	private final CallContext tenant1 = CallContext.of(Metadata.of("X-Tenant", "t1"),
			Deadline.after(Duration.ofSeconds(5)));

	private final CallContext tenant2 = CallContext.of(Metadata.of("X-Tenant", "t2"), null);

	@AfterEach
	void shutdown() {
		this.worker.shutdownNow();
	}

	@Test
	void whenContextRegistryIsLoadedThenItHasTheCallContextAccessor() {
		assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
			.anySatisfy(accessor -> assertThat(accessor.key()).isEqualTo(CallContextAccessor.KEY));
	}

	@Test
	void whenASnapshotWrapsARunnableThenAnotherThreadSeesTheCallContext() throws Exception {
		AtomicReference<CallContext> seen = new AtomicReference<>();
		Runnable task;
		try (CallContext.Scope scope = this.tenant1.makeCurrent()) {
			task = this.snapshots.captureAll().wrap(() -> seen.set(CallContext.current()));
		}
		this.worker.submit(task).get(5, TimeUnit.SECONDS);
		assertThat(seen.get()).isSameAs(this.tenant1);
		assertThat(seen.get().deadline()).isPresent();
		assertThat(contextLeftOnWorker()).isNull();
	}

	@Test
	void whenAnExecutorIsWrappedThenItsTasksSeeTheCallContextOfTheSubmitter() throws Exception {
		ExecutorService wrapped = ContextExecutorService.wrap(this.worker, this.snapshots);
		Future<String> tenant;
		try (CallContext.Scope scope = this.tenant1.makeCurrent()) {
			tenant = wrapped.submit(() -> CallContext.current().metadata().getOrNull("X-Tenant"));
		}
		assertThat(tenant.get(5, TimeUnit.SECONDS)).isEqualTo("t1");
		assertThat(contextLeftOnWorker()).isNull();
	}

	@Test
	void whenSupplyAsyncRunsOnAWrappedExecutorThenTheSupplierSeesTheCallContext() throws Exception {
		ExecutorService wrapped = ContextExecutorService.wrap(this.worker, this.snapshots);
		CompletableFuture<CallContext> seen;
		try (CallContext.Scope scope = this.tenant1.makeCurrent()) {
			seen = CompletableFuture.supplyAsync(CallContext::current, wrapped);
		}
		assertThat(seen.get(5, TimeUnit.SECONDS)).isSameAs(this.tenant1);
		assertThat(contextLeftOnWorker()).isNull();
	}

	@Test
	void whenExecutorIsNotWrappedThenTheTaskSeesNoCallContext() throws Exception {
		CompletableFuture<CallContext> seen;
		try (CallContext.Scope scope = this.tenant1.makeCurrent()) {
			seen = CompletableFuture.supplyAsync(CallContext::current, this.worker);
		}
		assertThat(seen.get(5, TimeUnit.SECONDS).metadata().isEmpty()).isTrue();
	}

	@Test
	void whenScopesNestThenClosingEachRestoresThePreviousContext() {
		ContextSnapshot snapshot;
		try (CallContext.Scope scope = this.tenant2.makeCurrent()) {
			snapshot = this.snapshots.captureAll();
		}
		try (CallContext.Scope outer = this.tenant1.makeCurrent()) {
			try (ContextSnapshot.Scope inner = snapshot.setThreadLocals()) {
				assertThat(CallContext.current()).isSameAs(this.tenant2);
				try (CallContext.Scope innermost = this.tenant1.withMetadata(Metadata.of("X-Step", "3"))
					.makeCurrent()) {
					assertThat(CallContext.current().metadata().getOrNull("X-Step")).isEqualTo("3");
				}
				assertThat(CallContext.current()).isSameAs(this.tenant2);
			}
			assertThat(CallContext.current()).isSameAs(this.tenant1);
		}
		assertThat(CallContextAccessorView.raw()).isNull();
	}

	@Test
	void whenASnapshotIsRestoredOnAThreadWithoutContextThenClosingLeavesNone() {
		ContextSnapshot snapshot;
		try (CallContext.Scope scope = this.tenant1.makeCurrent()) {
			snapshot = this.snapshots.captureAll();
		}
		assertThat(CallContextAccessorView.raw()).isNull();
		try (ContextSnapshot.Scope scope = snapshot.setThreadLocals()) {
			assertThat(CallContext.current()).isSameAs(this.tenant1);
		}
		assertThat(CallContextAccessorView.raw()).isNull();
	}

	@Test
	void whenAnObservationIsOpenThenItTravelsWithTheCallContext() throws Exception {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(context -> true);
		ExecutorService wrapped = ContextExecutorService.wrap(this.worker, this.snapshots);
		Observation observation = Observation.start("front", registry);
		CompletableFuture<Observation> seen;
		CompletableFuture<String> tenant;
		try (Observation.Scope observed = observation.openScope();
				CallContext.Scope scope = this.tenant1.makeCurrent()) {
			seen = CompletableFuture.supplyAsync(registry::getCurrentObservation, wrapped);
			tenant = CompletableFuture.supplyAsync(() -> CallContext.current().metadata().getOrNull("X-Tenant"),
					wrapped);
		}
		finally {
			observation.stop();
		}
		assertThat(seen.get(5, TimeUnit.SECONDS)).isSameAs(observation);
		assertThat(tenant.get(5, TimeUnit.SECONDS)).isEqualTo("t1");
	}

	private CallContext contextLeftOnWorker() throws Exception {
		return this.worker.submit(CallContextAccessorView::raw).get(5, TimeUnit.SECONDS);
	}

	/** Reads the thread's binding as the accessor does, {@code null} when there is none. */
	private static final class CallContextAccessorView {

		static CallContext raw() {
			return new CallContextAccessor().getValue();
		}

	}

}
