package io.micro4j.integration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micro4j.broker.memory.MemoryBroker;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.server.DefaultServer;
import io.micro4j.transport.http.HttpTransportClient;
import io.micrometer.observation.Observation;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * W3C trace context crosses client → server → publish → subscriber under go-micro's {@code Traceparent} key.
 */
class TracePropagationTests {

	private final SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).build();

	private final Tracer tracer;

	private final ObservationRegistry observations = ObservationRegistry.create();

	private final MemoryRegistry registry = new MemoryRegistry();

	private final MemoryBroker broker = new MemoryBroker();

	private DefaultServer server;

	private DefaultClient client;

	TracePropagationTests() {
		ContextPropagators propagators = ContextPropagators.create(W3CTraceContextPropagator.getInstance());
		io.opentelemetry.api.trace.Tracer otel = this.provider.get("test");
		OtelCurrentTraceContext current = new OtelCurrentTraceContext();
		this.tracer = new OtelTracer(otel, current, event -> {
		}, new OtelBaggageManager(current, List.of(), List.of()));
		OtelPropagator propagator = new OtelPropagator(propagators, otel);
		this.observations.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(this.tracer, propagator),
					new PropagatingReceiverTracingObservationHandler<>(this.tracer, propagator),
					new DefaultTracingObservationHandler(this.tracer)));
	}

	@AfterEach
	void close() {
		if (this.client != null) {
			this.client.close();
		}
		if (this.server != null) {
			this.server.stop();
		}
		this.broker.close();
		this.registry.close();
		this.provider.close();
	}

	public static class Traced {

		final List<String> handlerTraceIds = new CopyOnWriteArrayList<>();

		final List<String> subscriberTraceIds = new CopyOnWriteArrayList<>();

		final List<String> traceparents = new CopyOnWriteArrayList<>();

		Tracer tracer;

		DefaultClient client;

		public Greeter.Response hello(Greeter.Request request, Metadata metadata) {
			this.traceparents.add(metadata.getOrNull("Traceparent"));
			this.handlerTraceIds.add(this.tracer.currentSpan().context().traceId());
			this.client.publish("greeter.events", new Greeter.Request("event"), Metadata.empty());
			return new Greeter.Response("Hello " + request.name());
		}

		public void onEvent(Greeter.Request event, Metadata metadata) {
			this.subscriberTraceIds.add(this.tracer.currentSpan().context().traceId());
		}

	}

	@Test
	void whenACallChainRunsThenClientHandlerAndSubscriberShareOneTraceId() throws Exception {
		Traced traced = new Traced();
		traced.tracer = this.tracer;
		this.server = DefaultServer.builder("greeter")
			.address("127.0.0.1:0")
			.registry(this.registry)
			.broker(this.broker)
			.observationRegistry(this.observations)
			.build();
		this.server.handle("Greeter", traced);
		this.server.subscribe("greeter.events", null, traced,
				Traced.class.getMethod("onEvent", Greeter.Request.class, Metadata.class));
		this.server.start();
		HttpTransportClient transport = HttpTransportClient.builder().build();
		this.client = DefaultClient.builder(DefaultSelector.builder(RegistryCache.builder(this.registry).build()).build(),
				transport)
			.broker(this.broker)
			.observationRegistry(this.observations)
			.build();
		traced.client = this.client;

		Observation parent = Observation.start("rest.request", this.observations);
		String traceId;
		try (Observation.Scope scope = parent.openScope()) {
			traceId = this.tracer.currentSpan().context().traceId();
			this.client.call(Request.of("greeter", "Greeter.Hello", new Greeter.Request("John")),
					Greeter.Response.class);
		}
		finally {
			parent.stop();
		}

		assertThat(traced.traceparents).singleElement().asString().startsWith("00-" + traceId + "-");
		assertThat(traced.handlerTraceIds).containsExactly(traceId);
		await().atMost(10, TimeUnit.SECONDS).until(() -> !traced.subscriberTraceIds.isEmpty());
		assertThat(traced.subscriberTraceIds).containsExactly(traceId);
		transport.close();
	}

}
