package io.micro4j.spring.boot.autoconfigure.integration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micro4j.client.CallOptions;
import io.micro4j.client.Client;
import io.micro4j.client.Request;
import io.micro4j.metadata.CallContext;
import io.micro4j.metadata.Metadata;
import io.micro4j.spring.annotation.MicroClient;
import io.micro4j.spring.annotation.MicroHandler;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler that calls another service from other threads ({@code CompletableFuture.supplyAsync} on Spring Boot's
 * {@code applicationTaskExecutor} and on an executor wrapped by {@link ContextExecutorService}, and an
 * {@code @Async} method): the downstream handler sees the incoming metadata, the same trace id and the remaining
 * deadline of the first call.
 */
class ContextPropagationIntegrationTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final Duration FRONT_TIMEOUT = Duration.ofSeconds(3);

	private final MicroApps apps = new MicroApps();

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	@Test
	void whenAHandlerCallsAnotherServiceFromOtherThreadsThenMetadataTraceAndDeadlineFollow() {
		this.apps.start(BackApp.class, "spring.application.name=back");
		ConfigurableApplicationContext front = this.apps.start(FrontApp.class, "spring.application.name=front");
		ConfigurableApplicationContext caller = this.apps.start(CallerApp.class, "micro.server.enabled=false");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !this.apps.registry().getService("back").isEmpty() && !this.apps.registry().getService("front").isEmpty());
		assertThat(front.getBean("applicationTaskExecutor")).isInstanceOf(AsyncTaskExecutor.class);

		Request request = Request.of("front", "Front.Report", new ReportRequest("t1"))
			.withMetadata(Metadata.of("X-Tenant", "t1", "Traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01"));
		Report report = caller.getBean(Client.class)
			.call(request, Report.class, CallOptions.builder().requestTimeout(FRONT_TIMEOUT).build());

		assertThat(report.traceId()).as("the front handler joins the caller's trace").isEqualTo(TRACE_ID);
		assertThat(report.seen()).extracting(Seen::path)
			.containsExactlyInAnyOrder("applicationTaskExecutor", "ContextExecutorService", "@Async");
		assertThat(report.seen()).allSatisfy(seen -> {
			assertThat(seen.tenant()).as("X-Tenant seen via %s", seen.path()).isEqualTo("t1");
			assertThat(seen.traceId()).as("trace id seen via %s", seen.path()).isEqualTo(TRACE_ID);
			assertThat(seen.remainingMillis()).as("remaining deadline seen via %s", seen.path())
				.isPositive()
				.isLessThan(FRONT_TIMEOUT.toMillis());
		});
	}

	record ReportRequest(String tenant) {
	}

	record InspectRequest(String path) {
	}

	/** What the back handler saw of one call. */
	record Seen(String path, String tenant, String traceId, long remainingMillis) {
	}

	/** What the front handler saw and collected. */
	record Report(String traceId, List<Seen> seen) {
	}

	/** The downstream handler: it answers with what its call context holds. */
	@MicroHandler
	static class Back {

		public Seen inspect(InspectRequest request) {
			CallContext call = CallContext.current();
			String traceparent = call.metadata().get("Traceparent").orElse("");
			String[] parts = traceparent.split("-");
			return new Seen(request.path(), call.metadata().get("X-Tenant").orElse(""),
					(parts.length == 4) ? parts[1] : "",
					call.deadline().map(deadline -> deadline.remaining().toMillis()).orElse(-1L));
		}

	}

	/** The typed client of the back service. */
	@MicroClient("back")
	interface BackClient {

		Seen inspect(InspectRequest request);

	}

	/** Calls the back service from an {@code @Async} method, so on Spring Boot's {@code applicationTaskExecutor}. */
	static class AsyncBackCaller {

		private final BackClient back;

		AsyncBackCaller(BackClient back) {
			this.back = back;
		}

		@Async
		public CompletableFuture<Seen> inspect() {
			return CompletableFuture.completedFuture(this.back.inspect(new InspectRequest("@Async")));
		}

	}

	/** An executor the application built itself, made context-aware by {@link ContextExecutorService}. */
	static final class WrappedExecutor implements AutoCloseable {

		final ExecutorService executor = ContextExecutorService.wrap(Executors.newSingleThreadExecutor(),
				ContextSnapshotFactory.builder().build());

		@Override
		public void close() {
			this.executor.shutdownNow();
		}

	}

	/** The front handler: calls the back service from three other threads. */
	@MicroHandler
	static class Front {

		private final BackClient back;

		private final AsyncTaskExecutor taskExecutor;

		private final WrappedExecutor wrapped;

		private final AsyncBackCaller asyncCaller;

		private final Tracer tracer;

		Front(BackClient back, @Qualifier("applicationTaskExecutor") AsyncTaskExecutor taskExecutor,
				WrappedExecutor wrapped, AsyncBackCaller asyncCaller, Tracer tracer) {
			this.back = back;
			this.taskExecutor = taskExecutor;
			this.wrapped = wrapped;
			this.asyncCaller = asyncCaller;
			this.tracer = tracer;
		}

		public Report report(ReportRequest request) {
			String traceId = this.tracer.currentSpan().context().traceId();
			CompletableFuture<Seen> viaTaskExecutor = CompletableFuture
				.supplyAsync(() -> this.back.inspect(new InspectRequest("applicationTaskExecutor")), this.taskExecutor);
			CompletableFuture<Seen> viaWrapped = CompletableFuture.supplyAsync(
					() -> this.back.inspect(new InspectRequest("ContextExecutorService")), this.wrapped.executor);
			CompletableFuture<Seen> viaAsync = this.asyncCaller.inspect();
			return new Report(traceId, List.of(viaTaskExecutor.join(), viaWrapped.join(), viaAsync.join()));
		}

	}

	/** An observation registry with OpenTelemetry tracing and W3C propagation, as Spring Boot would wire it. */
	@Configuration(proxyBeanMethods = false)
	static class Tracing {

		@Bean(destroyMethod = "close")
		SdkTracerProvider sdkTracerProvider() {
			return SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).build();
		}

		@Bean
		OtelCurrentTraceContext otelCurrentTraceContext() {
			return new OtelCurrentTraceContext();
		}

		@Bean
		Tracer tracer(SdkTracerProvider provider, OtelCurrentTraceContext current) {
			return new OtelTracer(provider.get("test"), current, event -> {
			}, new OtelBaggageManager(current, List.of(), List.of()));
		}

		@Bean
		ObservationRegistry observationRegistry(Tracer tracer, SdkTracerProvider provider) {
			OtelPropagator propagator = new OtelPropagator(
					ContextPropagators.create(W3CTraceContextPropagator.getInstance()), provider.get("test"));
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
						new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
						new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
						new DefaultTracingObservationHandler(tracer)));
			return registry;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Back.class)
	static class BackApp {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableAsync
	@Import({ Front.class, AsyncBackCaller.class, WrappedExecutor.class, Tracing.class })
	static class FrontApp {

	}

	/** The first caller: it sends the metadata, the trace and the timeout itself. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CallerApp {

	}

}
